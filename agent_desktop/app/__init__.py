"""The app level: the command line, the configuration, the demo, and the factory that picks the
backends the configuration names (each one an entry point)."""
