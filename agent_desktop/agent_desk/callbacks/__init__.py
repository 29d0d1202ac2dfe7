"""Callbacks the agent schedules for a customer."""
