"""The Twilio event relay: receives TaskRouter's signed Event Callbacks and serves each worker a resumable
Server-Sent Events stream of them (docs/backends.md, "Plugging in Twilio")."""
