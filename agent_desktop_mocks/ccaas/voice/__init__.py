"""The mock contact center's voice leg in SIP and RTP: an agent's registered softphone rings with a real caller.

docs/voice.md ("The mock contact center's voice leg") says what runs where.
"""
