"""A note on a customer's record (a callback's reason, a note typed outside a wrap-up)."""

from __future__ import annotations

from typing import ClassVar

from agent_desktop.domain.models import Model
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind, Path


class NoteWrite(Model):
    customer_id: str
    text: str
    contact_id: str | None = None


class NoteKind(OutboxKind[NoteWrite]):
    name = "note"
    model = NoteWrite
    free_text: ClassVar[tuple[Path, ...]] = (("text",),)

    async def deliver(self, payload: NoteWrite, entry_key: str, send_key: str, via: Delivery) -> str:
        return (await via.crm.add_note(payload.customer_id, payload.text, payload.contact_id, send_key)).id
