"""The supervisor's desk's record of a join, mode change or leave, written as the CRM's protocol takes it; the
agent's desk neither counts nor lists it (it says who monitored the agent)."""

from __future__ import annotations

from agent_desktop.domain.models import SupervisionRecord
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind


class SupervisionKind(OutboxKind[SupervisionRecord]):
    name = "supervision"
    model = SupervisionRecord
    agent_sees = False

    async def deliver(self, payload: SupervisionRecord, entry_key: str, send_key: str, via: Delivery) -> str:
        return (await via.crm.record_supervision(payload, send_key)).id
