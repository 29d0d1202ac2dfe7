"""The agent's flag to the supervisor, its private thread, and the supervisors' broadcasts."""
