"""The offer in front of the agent: its card with the countdown, the offer brought over whatever is open, and what
the agent types after accepting a written contact."""
