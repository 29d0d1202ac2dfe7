"""The assistant's part in quality management: an evaluation drafted by the model, and its prompt."""
