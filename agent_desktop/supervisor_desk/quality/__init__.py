"""Quality evaluations of the agents' contacts."""
