"""Who wrote a Twilio Conversations message, and so what of its `Attributes` the desk believes.

A message's `Attributes` are whatever its writer put there: a customer's chat SDK may set any JSON it likes
(https://www.twilio.com/docs/conversations/api/conversation-message-resource, "attributes": "A string metadata
field you can use to store any data you wish"). So the desk reads a role or a kind (a whisper, a participant
joining or leaving, a transfer) only from a message the contact center itself wrote: authored by `system`, which
Twilio gives a message created without an author, and with no `participant_sid` ("null in case of system sent
message": no participant of the conversation, so no customer, wrote it). The agent's own messages are theirs only
when they come from the agent's identity (identities are unique in a Conversations service) and, once the agent's
participant is known, from that participant. Anything else is the customer's, a plain message drawn literally,
whatever its attributes say.
"""

from __future__ import annotations

from typing import Any

from agent_desktop.domain.models import ParticipantRole

SYSTEM_AUTHOR = "system"
MESSAGE = "message"


def role_and_kind(
    message: dict[str, Any], attributes: dict[str, Any], identity: str, mine: str | None
) -> tuple[ParticipantRole, str]:
    """The message's role and kind. `identity` is the agent's, `mine` the agent's participant SID in this
    conversation when the desk has read it (None: not yet)."""
    author = message.get("author")
    participant = message.get("participant_sid") or None
    if author == SYSTEM_AUTHOR and participant is None:
        kind = attributes.get("kind")
        return ParticipantRole.SYSTEM, kind if isinstance(kind, str) and kind else MESSAGE
    if author == identity and (participant is None or mine is None or participant == mine):
        return ParticipantRole.AGENT, MESSAGE
    return ParticipantRole.CUSTOMER, MESSAGE


def written_by_agent(message: dict[str, Any], identity: str, mine: str | None) -> bool:
    """The agent's own message (an idempotency key in anyone else's attributes is not the desk's)."""
    return role_and_kind(message, {}, identity, mine)[0] is ParticipantRole.AGENT
