"""The supervisor's quality screens: the evaluation dialog."""
