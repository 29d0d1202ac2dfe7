"""The mock contact center's messaging: SMS and email sent to a customer (a follow-up), with a delivery
status that moves on with the mock's clock, idempotent on a key."""
