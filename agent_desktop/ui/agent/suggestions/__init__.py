"""The assistant on the agent's desk: the suggested reply above the composer and the knowledge base's search."""
