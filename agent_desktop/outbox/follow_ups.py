"""A follow-up in the outbox: the message sent through the contact center's messaging, its delivery
status followed, then the message and its outcome written to the customer's CRM record, once.

Each step is kept in the entry before the next: once the CPaaS took the message its id is stored, so a retry (a
CRM outage, a desk closed and opened again) never sends it again; the send itself carries a key derived from the
entry's (`:message`), so a send whose answer was lost is not sent twice either. The CRM gets one interaction under
its own key (`:crm`), the same body on every try (its time is when the CPaaS took it): channel sms or email, outbound, disposition "Follow-up <status>", the text as its notes. A
status not final yet is a retryable wait (the outbox's backoff); `DELIVERY_WAIT_S` after the CPaaS took it, the CRM
gets the status last read (a carrier may never confirm). A send the CPaaS refuses for good (no such number) is written as failed, with why.
Consent is read again from the CRM just before the message leaves: one withdrawn since the follow-up was queued
cancels it (never sent; the CRM gets "Follow-up canceled" with why). A customer who opted out (the CPaaS's `RecipientOptedOut`) has their consent for the channel withdrawn in the CRM,
once (its own key, `:consent`, and kept in the entry), before the failed follow-up is written; a CRM without
`withdraw_consent` is not asked.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import StrEnum

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.follow_up_consent import no_consent
from agent_desktop.domain.messaging import MessageStatus, Messaging, RecipientOptedOut
from agent_desktop.domain.models import InteractionCreate
from agent_desktop.domain.protocols import Crm, consent_withdrawals
from agent_desktop.outbox.backoff import LookAgain
from agent_desktop.outbox.payloads import FollowUpWrite
from agent_desktop.outbox.store import EntryKind, Outbox, OutboxEntry

DELIVERY_WAIT_S = 600.0


class FollowUpStage(StrEnum):
    """Where a follow-up's message is, in the order it gets there (docs/architecture.md, "What each write goes
    through"). Whether its outcome is in the CRM yet is the entry's state, as for every write."""

    QUEUED = "queued"  # in the outbox; the customer's consent is read again just before it leaves
    CANCELED = "canceled"  # consent withdrawn since it was queued (or unreadable for good): never sent
    SENT = "sent"  # the contact center's messaging took it; its delivery is followed (a carrier may never confirm)
    DELIVERED = "delivered"  # (or read)
    UNDELIVERED = "undelivered"  # the carrier could not deliver it
    FAILED = "failed"  # refused by the messaging (no such number, the customer opted out)


def follow_up_stage(payload: FollowUpWrite) -> FollowUpStage:
    """The message's stage, from what the sender kept in the entry at each step."""
    status = MessageStatus(payload.status) if payload.status else None
    if status is MessageStatus.CANCELED:
        return FollowUpStage.CANCELED
    if status is MessageStatus.FAILED or payload.opted_out:
        return FollowUpStage.FAILED
    if status in (MessageStatus.DELIVERED, MessageStatus.READ):
        return FollowUpStage.DELIVERED
    if status is MessageStatus.UNDELIVERED:
        return FollowUpStage.UNDELIVERED
    return FollowUpStage.SENT if payload.message_id is not None else FollowUpStage.QUEUED


def message_key(entry_key: str) -> str:
    return f"{entry_key}:message"


def enqueue_follow_up(outbox: Outbox, follow_up: FollowUpWrite) -> OutboxEntry:
    """Store the follow-up to send (blocking: call from a thread); one per contact, channel and template."""
    return outbox.add(
        EntryKind.FOLLOW_UP,
        follow_up,
        contact_id=follow_up.contact_id,
        dedupe=f"follow-up:{follow_up.contact_id}:{follow_up.channel}:{follow_up.template}",
        label=f"{follow_up.contact_id} · {follow_up.channel} follow-up to {follow_up.to}",
    )


class FollowUpSend:
    def __init__(self, outbox: Outbox, crm: Crm, messaging: Messaging) -> None:
        """`messaging`: the contact center's (the stand-in where it carries none: a follow-up fails in its words)."""
        self.outbox, self.crm, self.messaging = outbox, crm, messaging

    async def send(self, entry: OutboxEntry, payload: FollowUpWrite) -> str:
        if not payload.settled:
            payload = await self._message(entry, payload)
            taken = payload.taken_at or datetime.now(UTC)
            waited = (datetime.now(UTC) - taken).total_seconds()
            if not MessageStatus(payload.status or "queued").final and waited < DELIVERY_WAIT_S:
                raise LookAgain(f"waiting for the {payload.channel} to be delivered ({payload.status})")
            # What the CRM is sent is fixed from here: a resend under the same key must carry the same body.
            payload = payload.model_copy(update={"settled": True})
            await asyncio.to_thread(self.outbox.update_payload, entry.key, payload)
        if payload.opted_out and not payload.consent_withdrawn:
            payload = await self._withdraw_consent(entry, payload)
        return (await self.crm.log_interaction(self._interaction(payload), f"{entry.key}:crm")).id

    async def _withdraw_consent(self, entry: OutboxEntry, payload: FollowUpWrite) -> FollowUpWrite:
        """The customer opted out: no consent for the channel in the CRM from now on (written once)."""
        crm = consent_withdrawals(self.crm)
        if crm is not None:
            reason = f"opted out: {payload.error or 'the customer unsubscribed'}"
            await crm.withdraw_consent(payload.customer_id, payload.channel, reason, f"{entry.key}:consent")
        payload = payload.model_copy(update={"consent_withdrawn": crm is not None})
        await asyncio.to_thread(self.outbox.update_payload, entry.key, payload)
        return payload

    async def _message(self, entry: OutboxEntry, payload: FollowUpWrite) -> FollowUpWrite:
        """The message sent (once) or its status read again; kept in the entry before anything else happens."""
        if payload.message_id is None:
            why = await self._why_not_now(payload)
            if why is not None:
                canceled = payload.model_copy(update={"status": MessageStatus.CANCELED.value, "error": why})
                await asyncio.to_thread(self.outbox.update_payload, entry.key, canceled)
                return canceled
        try:
            if payload.message_id is None:
                message = await self.messaging.send_message(
                    payload.channel, payload.to, payload.body, message_key(entry.key)
                )
            else:
                message = await self.messaging.message_status(payload.message_id)
        except BackendError as error:
            if error.retryable:
                raise
            opted_out = isinstance(error, RecipientOptedOut)
            updated = payload.model_copy(
                update={"status": MessageStatus.FAILED.value, "error": error.message, "opted_out": opted_out}
            )
        else:
            taken = payload.taken_at or datetime.now(UTC)
            update = {
                "message_id": message.id,
                "status": message.status.value,
                "error": message.error,
                "taken_at": taken,
            }
            updated = payload.model_copy(update=update)
        await asyncio.to_thread(self.outbox.update_payload, entry.key, updated)
        return updated

    async def _why_not_now(self, payload: FollowUpWrite) -> str | None:
        """Why the customer's record, read now, forbids the message (None: it allows it). A CRM that cannot answer
        now is a retryable wait: nothing is sent on consent the desk could not read."""
        try:
            record = await self.crm.customer_record(payload.customer_id)
        except BackendError as error:
            if error.retryable:
                raise
            return f"not sent: the customer's record could not be read ({error.message})"
        why = no_consent(record.customer, payload.channel)
        return None if why is None else f"not sent: when it was to leave, {why}"

    @staticmethod
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
