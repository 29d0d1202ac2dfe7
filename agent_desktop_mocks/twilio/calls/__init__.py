"""The Twilio mock's calls: the TwiML it executes and real-time transcriptions (its conferences: twilio/voice.py, read by the state every route shares)."""
