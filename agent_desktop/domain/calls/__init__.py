"""A call as the desk knows it: the softphone that carries its sound, its recording, who called, and the callbacks an agent owns (its live transcript's events: domain/models/transcription.py)."""
