"""The assistant's model as the desk sees it."""
