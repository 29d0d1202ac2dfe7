"""Experts by presence, to consult, transfer or escalate to someone free."""
