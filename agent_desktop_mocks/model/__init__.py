"""A mock model server speaking the OpenAI-compatible chat-completions API (streaming too), deterministic and grounded
in the knowledge passages a request carries, so the demo shows suggestions with nothing else installed."""
