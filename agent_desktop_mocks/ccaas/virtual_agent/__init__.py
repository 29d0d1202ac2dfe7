"""The virtual agent on the mock's chat entry: it answers the customer from the knowledge base through the contact
center's model and escalates to a person on a rule, the contact then carrying its transcript, reason, intent and mood
(docs/mock-apis.md, "The virtual agent")."""
