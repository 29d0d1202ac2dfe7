"""This contact put on a case the caller has open (held for the wrap-up where the CRM counts its updates)."""

from __future__ import annotations

from agent_desktop.domain.models import Model
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind


class CaseLinkWrite(Model):
    case_id: str
    contact_id: str


class CaseLinkKind(OutboxKind[CaseLinkWrite]):
    name = "case_link"
    model = CaseLinkWrite

    async def deliver(self, payload: CaseLinkWrite, entry_key: str, send_key: str, via: Delivery) -> str:
        return (await via.crm.link_case(payload.case_id, payload.contact_id, send_key)).id
