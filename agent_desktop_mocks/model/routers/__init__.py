"""The mock model server's routes: chat completions and models."""
