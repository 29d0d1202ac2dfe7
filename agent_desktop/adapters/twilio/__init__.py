"""Twilio TaskRouter, Voice and Conversations as the contact center, events through the relay."""
