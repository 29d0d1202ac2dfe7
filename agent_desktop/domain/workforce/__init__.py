"""Workforce management: schedules, coverage, and the agent's own day as the contact center keeps it."""
