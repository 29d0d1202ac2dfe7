"""Snooze and send later: a conversation in hand snoozed until a time, a reply scheduled to send at one,
both held by the contact center so a restart of the desk loses neither. Served where the contact center says it can
(capability `conversation_waits`: the mock's); elsewhere a stand-in refuses in one sentence that says why
(docs/vendors/ names what each vendor has instead)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.models import Conversation


@runtime_checkable
class ConversationWaits(Protocol):
    async def snooze(self, contact_id: str, until: datetime) -> Conversation:
        """Snoozed until `until` (aware, in the future): the customer's message wakes it sooner, except a thanks
        after our reply. Refused (BackendError 422) for a time in the past, 409 for a contact not connected."""
        ...

    async def wake(self, contact_id: str) -> Conversation:
        """Awake now (409 if it is not snoozed)."""
        ...

    async def schedule_reply(self, contact_id: str, text: str, send_at: datetime) -> Conversation:
        """`text` sent at `send_at` unless the customer writes first (then a `ScheduledReplyEvent` hands it back)."""
        ...

    async def cancel_scheduled_reply(self, contact_id: str) -> Conversation:
        """The scheduled reply taken back (409 if none is)."""
        ...


class NoConversationWaits:
    """Where the contact center holds neither a snooze nor a scheduled reply: every call refuses, saying why."""

    why = (
        "This contact center keeps no snooze or scheduled reply: the desk would have to hold them, and a restart "
        "of the desk would lose them."
    )

    async def snooze(self, contact_id: str, until: datetime) -> Conversation:
        raise NotServed(self.why)

    async def wake(self, contact_id: str) -> Conversation:
        raise NotServed(self.why)

    async def schedule_reply(self, contact_id: str, text: str, send_at: datetime) -> Conversation:
        raise NotServed(self.why)

    async def cancel_scheduled_reply(self, contact_id: str) -> Conversation:
        raise NotServed(self.why)


def conversation_waits(backend: object) -> ConversationWaits:
    """The contact center as one that holds snoozes and scheduled replies where it says it can, else the stand-in."""
    return resolve(backend, ConversationWaits, NoConversationWaits, "conversation_waits")
