"""What is said in a conversation and what becomes of it: the customer's and the agent's messages (an email quotes
the other side's last one), the customer's typing, and the customer's side delivering and reading the agent's
messages (receipts go to the agent, not the supervisor).
"""

from __future__ import annotations

from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.conversations.core import waits
from agent_desktop_mocks.ccaas.conversations.core.changes import Changes
from agent_desktop_mocks.ccaas.conversations.core.transcript import add_item
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import (
    DeliveredEvent,
    MessageEvent,
    ReadEvent,
    TranscriptItem,
    TypingEvent,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_pci import mask_pci


def customer_says(changes: Changes, record: ConversationRecord, text: str) -> TranscriptItem:
    subject = quoted = None
    if record.channel == Channel.EMAIL:
        subject = f"Re: {record.subject}" if record.subject else None
        quoted = _quote(changes, record, "agent")
    if record.customer_typing:
        customer_typing(changes, record, False)
    asleep = waits.keeps_snooze(record, text)  # a "thanks" after our reply: resolved, it stays snoozed
    cancelled = record.scheduled_reply
    woken = record.snoozed_until is not None and not asleep
    record.scheduled_reply = None
    if woken:
        record.snoozed_until, record.wake_on_acknowledgement = None, False
    awaited, due = record.awaiting_reply_since, record.reply_due_since
    item = add_item(changes, record, "customer", record.customer_name, text, subject=subject, quoted=quoted)
    if asleep:
        record.awaiting_reply_since, record.reply_due_since = awaited, due
    _said(changes, record, item)
    if cancelled is not None:
        waits.tell(changes, record, cancelled, "cancelled_by_customer")
    if woken:
        waits.wake(changes, record, "customer", record.inactivity_deadline)
    changes.tell("customer_message", record, item)
    return item


def agent_says(
    changes: Changes, record: ConversationRecord, agent_id: str, text: str, subject: str | None = None
) -> TranscriptItem:
    """An agent's message, checked already (the API's send, or a simulated agent's line)."""
    quoted = None
    if record.channel == Channel.EMAIL:
        subject = subject or (f"Re: {record.subject}" if record.subject else None)
        quoted = _quote(changes, record, "customer")
    item = add_item(
        changes,
        record,
        "agent",
        record.agent_name or agent_id,
        text,
        participant_id=agent_id,
        subject=subject,
        quoted=quoted,
    )
    _said(changes, record, item)
    changes.tell("agent_message", record, item)
    return item


def masked(text: str) -> str:
    """An agent's text masked as its message would be (a scheduled reply waits in the store masked)."""
    return mask_pci(text)


def customer_typing(changes: Changes, record: ConversationRecord, typing: bool) -> None:
    """The customer started or stopped typing: their agent sees it (the supervisor's stream is not told)."""
    record.customer_typing = typing
    event = TypingEvent(contact_id=record.contact_id, role="customer", display_name=record.customer_name, typing=typing)
    changes.publish(record, event, supervisor=False)
    changes.save(record)


def delivered(changes: Changes, record: ConversationRecord, number: int, item: TranscriptItem) -> None:
    """The agent's message reached the customer's side."""
    now = changes.facts.now()
    changes.update(number, item.model_copy(update={"delivered_at": now}))
    changes.publish(record, DeliveredEvent(contact_id=record.contact_id, item_id=item.id, at=now), supervisor=False)


def customer_read(
    changes: Changes, record: ConversationRecord, item_id: str, number: int, unread: list[tuple[int, TranscriptItem]]
) -> None:
    """The customer read the agent's messages up to item `number` (`unread`: the agent's messages since their last read)."""
    now = changes.facts.now()
    for n, item in unread:
        if item.read_at is None:
            changes.update(n, item.model_copy(update={"read_at": now}))
    record.customer_last_read = number
    changes.save(record)
    event = ReadEvent(contact_id=record.contact_id, role="customer", up_to_item_id=item_id, at=now)
    changes.publish(record, event, supervisor=False)


def _said(changes: Changes, record: ConversationRecord, item: TranscriptItem) -> None:
    """A message published (with the deadline it moved) and the record saved."""
    event = MessageEvent(
        contact_id=record.contact_id,
        item=item,
        inactivity_deadline=record.inactivity_deadline,
        awaiting_reply_since=record.awaiting_reply_since,
    )
    changes.publish(record, event)
    changes.save(record)


def _quote(changes: Changes, record: ConversationRecord, role: str) -> str | None:
    """The other side's last message, quoted as an email reply quotes it."""
    last = changes.last_message(record.contact_id, role)
    return customers.quote(last.display_name, last.text) if last else None
