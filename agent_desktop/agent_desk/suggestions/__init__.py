"""What the desk suggests as the customer writes: replies from the assistant model, articles from the knowledge base."""
