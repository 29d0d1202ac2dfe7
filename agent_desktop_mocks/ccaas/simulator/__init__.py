"""The simulated callers and team that keep the mock contact center busy."""
