"""The agent's day: figures, evaluations, the schedule strip and the break limits."""
