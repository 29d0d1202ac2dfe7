"""The agent's own day: figures, contacts and dispositions, and callbacks due."""
