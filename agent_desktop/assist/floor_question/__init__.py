"""The supervisor's question about the floor, asked of the assistant's model with the floor's figures as data."""
