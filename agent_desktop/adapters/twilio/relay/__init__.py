"""The Twilio desk's events through its relay: the stream, a backlog read once, and the link when Twilio fails."""
