"""Helpers the test tiers share (rigs, in-process backends); no tests here."""
