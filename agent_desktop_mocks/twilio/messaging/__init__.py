"""The Twilio mock's SMS: what becomes of a message, and who opted out."""
