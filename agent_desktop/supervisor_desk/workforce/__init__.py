"""Workforce: adherence, break overruns and the staffing gap."""
