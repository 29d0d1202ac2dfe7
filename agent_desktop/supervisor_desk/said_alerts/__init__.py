"""Alerts from what customers say, as the supervisor's floor holds and tells them."""
