"""Supervisors joining contacts: monitor, whisper, barge and leave.

Shaped after Twilio TaskRouter's `supervise` instruction (mode monitor, whisper or barge), Amazon Connect's
`MonitorContact` and Genesys Cloud's monitor/coach/barge. A supervisor joins a contact in progress of one of
their queues (floor.toml's `[[supervisor]]`: none listed is every queue); the contact's participants carry
a role and, for a supervisor, a mode. Joins, mode changes and leaves are events in the event log, on the
stream of every supervisor watching the contact and, when the policy announces monitoring (off by default)
or the supervisor whispers or barges, on the agent's. A whisper is a transcript item only the agent and
supervisors see; a barge message is written to the customer under the supervisor's name.
"""
