"""Workforce management in the mock contact center: a history of each queue's half-hours, a forecast
from it, the agents each half-hour needs (Erlang C) and the demo floor's schedules (shifts, breaks, lunch)."""
