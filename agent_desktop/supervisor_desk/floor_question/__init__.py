"""The supervisor asks the floor in plain language: the floor's figures, and the question to the assistant's model."""
