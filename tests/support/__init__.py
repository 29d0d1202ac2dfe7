"""Helpers the test tiers share (rigs, in-process backends, tier markers); no tests here."""
