"""An XMPP roster as the experts' presence, names and skills from a directory file."""
