"""A call on Twilio: its Voice conference, hold, and real-time transcription."""
