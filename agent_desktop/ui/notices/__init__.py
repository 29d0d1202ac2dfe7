"""Desktop notifications while the terminal is not in front, and their escape sequences."""
