"""A customer's consent for a channel withdrawn in the CRM (they texted STOP in an SMS conversation)."""

from __future__ import annotations

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Model
from agent_desktop.domain.protocols import consent_withdrawals
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind


class ConsentWithdrawal(Model):
    customer_id: str
    contact_id: str
    channel: Channel
    reason: str


class ConsentWithdrawalKind(OutboxKind[ConsentWithdrawal]):
    name = "consent_withdrawal"
    model = ConsentWithdrawal

    async def deliver(self, payload: ConsentWithdrawal, entry_key: str, send_key: str, via: Delivery) -> str:
        crm = consent_withdrawals(via.crm)
        if crm is None:
            raise BackendError(getattr(via.crm, "name", "CRM"), "400 this CRM takes no consent withdrawals", 400)
        return (await crm.withdraw_consent(payload.customer_id, payload.channel, payload.reason, send_key)).id
