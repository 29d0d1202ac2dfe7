"""A follow-up to a customer: the message sent through the contact center's messaging, its delivery status
followed, then the message and its outcome written to the customer's CRM record, once.

Each step is kept in the entry before the next: once the CPaaS took the message its id is stored, so a retry (a
CRM outage, a desk closed and opened again) never sends it again; the send itself carries a key derived from the
entry's (`:message`), so a send whose answer was lost is not sent twice either. The CRM gets one interaction under
its own key (`:crm`), the same body on every try (its time is when the CPaaS took it): channel sms or email,
outbound, disposition "Follow-up <status>", the text as its notes. A status not final yet is a retryable wait (the
outbox's backoff); `DELIVERY_WAIT_S` after the CPaaS took it, the CRM gets the status last read (a carrier may never
confirm). A send the CPaaS refuses for good (no such number) is written as failed, with why. Consent is read again
from the CRM just before the message leaves: one withdrawn since the follow-up was queued cancels it (never sent;
the CRM gets "Follow-up canceled" with why). A customer who opted out (the CPaaS's `RecipientOptedOut`) has their
consent for the channel withdrawn in the CRM, once (its own key, `:consent`, and kept in the entry), before the
failed follow-up is written; a CRM without `withdraw_consent` is not asked. Its stages: agent_desktop/outbox/follow_ups.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.messages.follow_up_consent import no_consent
from agent_desktop.domain.messages.protocol import MessageStatus, RecipientOptedOut
from agent_desktop.domain.models import InteractionCreate, Model
from agent_desktop.domain.protocols import consent_withdrawals
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.outbox.backoff import LookAgain
from agent_desktop.outbox.kinds.kind import Delivery, OutboxKind, Path

DELIVERY_WAIT_S = 600.0


class FollowUpWrite(Model):
    """A follow-up to a customer: sent through the contact center's messaging under a key of its own
    (`message_key`, never twice), then its message and delivery status written to the customer's CRM record once."""

    customer_id: str
    contact_id: str
    queue_id: str
    agent_id: str
    channel: Channel
    to: str
    body: str  # masked
    template: str
    message_id: str | None = None  # set once the CPaaS took it: never sent again
    status: str | None = None  # its delivery status, last read
    taken_at: datetime | None = None  # when the CPaaS took it: the delivery is waited for so long
    settled: bool = False  # the status the CRM is given is fixed: never read again (a resend sends the same body)
    error: str | None = None
    opted_out: bool = False  # the CPaaS said the customer opted out (Twilio's 21610): their consent is withdrawn
    consent_withdrawn: bool = False  # and the CRM took it: never written again


def message_key(entry_key: str) -> str:
    return f"{entry_key}:message"


class FollowUpKind(OutboxKind[FollowUpWrite]):
    name = "follow_up"
    model = FollowUpWrite
    free_text: ClassVar[tuple[Path, ...]] = (("body",),)  # filled from a template (masked by the dialog too)

    async def deliver(self, payload: FollowUpWrite, entry_key: str, send_key: str, via: Delivery) -> str:
        if not payload.settled:
            payload = await _message(entry_key, payload, via)
            taken = payload.taken_at or datetime.now(UTC)
            waited = (datetime.now(UTC) - taken).total_seconds()
            if not MessageStatus(payload.status or "queued").final and waited < DELIVERY_WAIT_S:
                raise LookAgain(f"waiting for the {payload.channel} to be delivered ({payload.status})")
            # What the CRM is sent is fixed from here: a resend under the same key must carry the same body.
            payload = payload.model_copy(update={"settled": True})
            await via.keep(entry_key, payload)
        if payload.opted_out and not payload.consent_withdrawn:
            payload = await _withdraw_consent(entry_key, payload, via)
        return (await via.crm.log_interaction(_interaction(payload), f"{entry_key}:crm")).id


async def _withdraw_consent(entry_key: str, payload: FollowUpWrite, via: Delivery) -> FollowUpWrite:
    """The customer opted out: no consent for the channel in the CRM from now on (written once)."""
    crm = consent_withdrawals(via.crm)
    if crm is not None:
        reason = f"opted out: {payload.error or 'the customer unsubscribed'}"
        await crm.withdraw_consent(payload.customer_id, payload.channel, reason, f"{entry_key}:consent")
    payload = payload.model_copy(update={"consent_withdrawn": crm is not None})
    await via.keep(entry_key, payload)
    return payload


async def _message(entry_key: str, payload: FollowUpWrite, via: Delivery) -> FollowUpWrite:
    """The message sent (once) or its status read again; kept in the entry before anything else happens."""
    if payload.message_id is None:
        why = await _why_not_now(payload, via)
        if why is not None:
            canceled = payload.model_copy(update={"status": MessageStatus.CANCELED.value, "error": why})
            await via.keep(entry_key, canceled)
            return canceled
    try:
        if payload.message_id is None:
            message = await via.messaging.send_message(
                payload.channel, payload.to, payload.body, message_key(entry_key)
            )
        else:
            message = await via.messaging.message_status(payload.message_id)
    except BackendError as error:
        if error.retryable:
            raise
        opted_out = isinstance(error, RecipientOptedOut)
        updated = payload.model_copy(
            update={"status": MessageStatus.FAILED.value, "error": error.message, "opted_out": opted_out}
        )
    else:
        taken = payload.taken_at or datetime.now(UTC)
        update = {"message_id": message.id, "status": message.status.value, "error": message.error, "taken_at": taken}
        updated = payload.model_copy(update=update)
    await via.keep(entry_key, updated)
    return updated


async def _why_not_now(payload: FollowUpWrite, via: Delivery) -> str | None:
    """Why the customer's record, read now, forbids the message (None: it allows it). A CRM that cannot answer now
    is a retryable wait: nothing is sent on consent the desk could not read."""
    try:
        record = await via.crm.customer_record(payload.customer_id)
    except BackendError as error:
        if error.retryable:
            raise
        return f"not sent: the customer's record could not be read ({error.message})"
    why = no_consent(record.customer, payload.channel)
    return None if why is None else f"not sent: when it was to leave, {why}"


def _interaction(payload: FollowUpWrite) -> InteractionCreate:
    why = f" ({payload.error})" if payload.error else ""
    return InteractionCreate(
        customer_id=payload.customer_id,
        contact_id=payload.contact_id,
        channel=payload.channel,
        direction="outbound",
        agent_id=payload.agent_id,
        queue_id=payload.queue_id,
        ended_at=payload.taken_at,
        disposition=f"Follow-up {payload.status}",
        summary=f"follow_up · {payload.template} · {payload.status}{why} · to {payload.to}"[:500],
        notes=payload.body,
    )
