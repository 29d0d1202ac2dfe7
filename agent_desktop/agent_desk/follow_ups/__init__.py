"""Follow-ups sent after a contact, with the customer's consent checked."""
