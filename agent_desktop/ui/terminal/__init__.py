"""The terminal the desk runs in: a lost terminal, the browser's driver, and the log of where each key went."""
