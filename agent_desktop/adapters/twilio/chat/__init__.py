"""Chat and SMS on Twilio Conversations: the conversations, their webhooks' events, and who wrote a message."""
