"""The agents' flags waiting for a supervisor's answer."""
