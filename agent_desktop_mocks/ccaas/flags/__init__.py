"""Help from the supervisor: an agent's flag on a contact in hand, answered in a private thread by the
supervisors of the contact's queue, and a supervisor's broadcast to a team's or a queue's agents, with an expiry.

Shaped after Genesys Cloud's "raise hand" and Amazon Connect's agent-to-supervisor chat: a flag is raised on a
contact the agent holds (connected or on hold; after-contact work too, where help is still useful), one open flag
per contact; every change (raised, a line, closed) goes to the agent's stream and to the supervisor stream, whose
scope keeps it from supervisors of other queues. A flag still open when its contact completes is closed.
"""
