"""The assistant beside the agent, without a terminal: what is sent to the model (masked, the customer's words
delimited as data), what comes back (masked again, a wrap-up's answer checked against the queue's list), a suggestion
as it streams, and what the desk spends on it."""
