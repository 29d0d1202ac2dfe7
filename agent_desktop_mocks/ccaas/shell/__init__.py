"""The mock contact center's shell: the engine that stores, commits and publishes what the pure core
decides, its SQLite store, its publisher and its schedule."""
