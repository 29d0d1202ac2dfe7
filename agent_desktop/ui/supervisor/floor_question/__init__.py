"""The supervisor's ask box about the floor (k)."""
