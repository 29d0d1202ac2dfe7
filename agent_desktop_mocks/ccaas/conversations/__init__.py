"""The mock CCaaS's conversation service: transcripts of chat, SMS and email contacts and simulated customers.

Shaped after Amazon Connect's Participant Service and Twilio Conversations (docs/mock-apis.md,
"Conversations"). It learns about contacts only from the engine's domain events (`Engine.listen`, after
each commit; following.py), or from the event log's stored `contact` events when it catches up, and acts on
them only through the engine's public methods, so the routing engine knows nothing about it. Its rules are a
pure core (core/), the service (service.py) its shell, as the engine is the routing core's.
"""
