"""A queue's contacts and an agent's day, opened with `d` over the supervisor's screen (loaded on demand:
agent_desktop/ui/supervisor/__init__.py)."""
