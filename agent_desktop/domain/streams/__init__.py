"""The event streams' links: their state as the UI shows it, and waking them after a pause."""
