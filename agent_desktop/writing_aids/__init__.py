"""Conversations around the composer: quick responses and the wrap-up summary (no Textual, no I/O)."""
