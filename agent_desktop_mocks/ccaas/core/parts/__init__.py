"""The routing core's parts, one per kind of change (agents, arrivals, callbacks, contacts, offers, a supervisor's changes, transfers), and what each holds."""
