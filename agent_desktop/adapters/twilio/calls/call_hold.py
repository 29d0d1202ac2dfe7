"""Hold on Twilio: the customer's leg of the call's Voice conference (voice.py), as TaskRouter does not know it. A
part of `TwilioContactCenter` (contact_center.py), which builds it and which it sees only as `HoldHost`: a call's
contact is read as on hold while its customer's leg is, since the moment this desk first saw it so."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.calls.voice import TwilioVoice
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import Channel, ContactState


class HoldHost(Protocol):
    """The contact center as hold sees it (contact_center.py's TwilioContactCenter): its name, how it reads a task
    and a contact, and its calls' conferences. The center builds its parts; they never import it."""

    @property
    def name(self) -> str: ...

    @property
    def _voice(self) -> TwilioVoice: ...

    async def _task(self, task_sid: str) -> tuple[dict[str, Any], str]: ...

    def _contact(self, task: dict[str, Any]) -> Contact: ...


class CallHold:
    def __init__(self, center: HoldHost) -> None:
        self.center = center
        self.held_since: dict[str, datetime] = {}  # task SID → when this desk saw its customer put on hold

    def _held(self, contact: Contact, hold: bool) -> Contact:
        if contact.state != ContactState.CONNECTED:
            return contact
        if not hold:
            self.held_since.pop(contact.id, None)
            return contact
        since = self.held_since.setdefault(contact.id, datetime.now(UTC))
        return contact.model_copy(update={"state": ContactState.ON_HOLD, "held_at": since})

    async def with_hold(self, task: dict[str, Any]) -> Contact:
        """The task as a contact, on hold if its customer's leg is (read from the conference: TaskRouter does
        not know)."""
        contact = self.center._contact(task)
        if contact.state != ContactState.CONNECTED or contact.channel != Channel.VOICE:
            return contact
        return self._held(contact, bool(await self.center._voice.held(task)))

    async def hold(self, contact_id: str, hold: bool) -> Contact:
        if not records.is_sid("WT", contact_id):
            raise BackendError(self.center.name, f"404 contact {contact_id} not found", 404)
        task, _ = await self.center._task(contact_id)
        contact = await self.with_hold(task)
        wanted = ContactState.CONNECTED if hold else ContactState.ON_HOLD
        if contact.state != wanted:
            raise BackendError(
                self.center.name, f"409 contact is {contact.state.value}", 409, state=contact.state.value
            )
        return self._held(self.center._contact(task), await self.center._voice.hold(task, hold))
