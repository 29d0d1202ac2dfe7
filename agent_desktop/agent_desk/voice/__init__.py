"""A call's sound on the agent's desk: the softphone's calls matched to the desk's voice contacts, their media state,
and the use cases that drive the softphone (docs/voice.md)."""
