"""The agent's desk without a terminal: what the agent holds (model), what they can do (commands), and
the use cases that talk to the backends (controller). The agent screen only draws it."""
