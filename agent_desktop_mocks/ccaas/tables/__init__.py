"""The mock contact center's data tables (IVR menus, intents, the floor), read and checked at start."""
