"""Monitoring: the contacts a supervisor watches, listens to, whispers into or barges in on."""
