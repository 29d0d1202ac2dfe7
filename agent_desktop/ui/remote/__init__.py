"""The app's remote control and the agent's desk as it drives it."""
