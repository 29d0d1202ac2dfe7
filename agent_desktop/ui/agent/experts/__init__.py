"""Internal experts with live presence, and what the agent does with one: message, escalate, consult or transfer."""
