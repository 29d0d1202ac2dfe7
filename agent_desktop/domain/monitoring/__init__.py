"""Supervisors on contacts (monitor, whisper, barge): the participants and modes, and the protocol (what the agent's stream tells of them: domain/models/monitoring.py)."""
