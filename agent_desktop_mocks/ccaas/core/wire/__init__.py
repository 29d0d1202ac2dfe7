"""The requests the mock contact center's API takes (the numbers it may dial among them) and the JSON shapes it answers."""
