"""A case opened for the caller, written as the CRM's protocol takes it."""

from __future__ import annotations

from typing import ClassVar

from agent_desktop.domain.models import CaseCreate
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind, Path


class CaseCreateKind(OutboxKind[CaseCreate]):
    name = "case_create"
    model = CaseCreate
    free_text: ClassVar[tuple[Path, ...]] = (("subject",),)

    async def deliver(self, payload: CaseCreate, entry_key: str, send_key: str, via: Delivery) -> str:
        return (await via.crm.create_case(payload, send_key)).id
