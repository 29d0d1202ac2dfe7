"""Urgent assist: what the supervisor's desk adds to a contact the contact center marked urgent."""
