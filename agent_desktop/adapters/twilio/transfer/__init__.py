"""Transfers on Twilio: through Flex Interactions, of a contact in hand, and of a call in a conference."""
