"""Help from the supervisor: flags on contacts with their private thread, and broadcasts, as a protocol (the flags themselves: domain/models/flags.py)."""
