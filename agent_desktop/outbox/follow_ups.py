"""A follow-up's stages in the outbox, and how one is put there. How it is sent (the message, its delivery
followed, its outcome written to the CRM once) is its kind's: agent_desktop/outbox/kinds/follow_up.py."""

from __future__ import annotations

from enum import StrEnum

from agent_desktop.domain.messages.protocol import MessageStatus
from agent_desktop.outbox.kinds.follow_up import DELIVERY_WAIT_S, FollowUpWrite, message_key
from agent_desktop.outbox.store import EntryKind, Outbox, OutboxEntry

__all__ = ["DELIVERY_WAIT_S", "FollowUpStage", "enqueue_follow_up", "follow_up_stage", "message_key"]


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


def enqueue_follow_up(outbox: Outbox, follow_up: FollowUpWrite) -> OutboxEntry:
    """Store the follow-up to send (blocking: call from a thread); one per contact, channel and template."""
    return outbox.add(
        EntryKind.FOLLOW_UP,
        follow_up,
        contact_id=follow_up.contact_id,
        dedupe=f"follow-up:{follow_up.contact_id}:{follow_up.channel}:{follow_up.template}",
        label=f"{follow_up.contact_id} · {follow_up.channel} follow-up to {follow_up.to}",
    )
