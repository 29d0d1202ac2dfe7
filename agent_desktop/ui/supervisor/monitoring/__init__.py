"""The supervisor's monitoring screens: the panel of a monitored contact."""
