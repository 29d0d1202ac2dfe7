"""Quality management: the contact center's forms, the interactions to review, and the protocol that serves them (the evaluation the agent's stream brings: domain/models/quality.py)."""
