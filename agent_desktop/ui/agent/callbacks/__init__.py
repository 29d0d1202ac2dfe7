"""Scheduling a callback the agent owns."""
