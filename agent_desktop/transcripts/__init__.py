"""A conversation's transcript as a desk holds it (the agent's and the supervisor's): pages and events
merged, read marks, private notes, masked as it is kept."""
