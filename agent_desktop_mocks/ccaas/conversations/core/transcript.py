"""A conversation's transcript items: numbered, masked as they arrive, counted in SMS segments, and the inactivity
deadline they move.

Card data is redacted as it arrives, as a contact center's own PCI redaction does: every message, subject and
quoted thread is masked (`pci_redaction`), and a card number split over one party's messages is masked in the
earlier ones too (the shell rewrites them in the store and the event log, and empties the WAL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypedDict

from agent_desktop_mocks.ccaas.conversations.core.changes import Changes
from agent_desktop_mocks.ccaas.conversations.limits import sms_segments
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import ItemKind, Role, TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_pci import SPLIT_REACH, mask_arriving, mask_pci, starts_in_run


class ItemOptions(TypedDict, total=False):
    """What else an item may say than who wrote what (`add_item`'s keywords, passed on by the facade and the shell)."""

    kind: ItemKind
    participant_id: str | None
    subject: str | None
    quoted: str | None
    at: datetime | None


def add_item(
    changes: Changes,
    record: ConversationRecord,
    role: Role,
    display_name: str,
    text: str,
    *,
    kind: ItemKind = "message",
    participant_id: str | None = None,
    subject: str | None = None,
    quoted: str | None = None,
    at: datetime | None = None,
) -> TranscriptItem:
    """A new item of the record's transcript (`at`: an earlier one, of an email thread, that moves no deadline)."""
    if kind == "message" and role in ("customer", "agent"):
        text = _redact(changes, record, role, text)
        subject = mask_pci(subject) if subject else subject
        quoted = mask_pci(quoted) if quoted else quoted
    number = changes.number()
    now = at or changes.facts.now()
    segments = sms_segments(text) if record.channel == Channel.SMS and kind == "message" else None
    item = TranscriptItem(
        id=f"m-{number:06d}",
        contact_id=record.contact_id,
        index=record.item_count,
        kind=kind,
        role=role,
        participant_id=participant_id,
        display_name=display_name,
        text=text,
        created_at=now,
        subject=subject,
        quoted=quoted,
        segments=segments.count if segments else None,
        encoding=segments.encoding if segments else None,
    )
    record.item_count += 1
    if kind == "message":
        record.last_message_at = now
        if role == "customer":
            record.last_customer_message_at = now
            if at is None and record.reply_due_since is None:  # an email thread's older item waits for nothing
                record.reply_due_since = now
            if record.awaiting_reply_since is None:
                record.awaiting_reply_since = now
        elif role == "agent":
            record.agent_replied, record.reply_due_since = True, None
            record.awaiting_reply_since = None
        if record.agent_id is not None and at is None:
            # Snoozed or a reply scheduled: it waits on us, the customer's silence ends nothing (core/waits.py).
            waiting = record.snoozed_until is not None or record.scheduled_reply is not None
            record.inactivity_deadline = None if waiting else deadline(changes, record, now)
    changes.add(number, item)
    return item


def deadline(changes: Changes, record: ConversationRecord, since: datetime) -> datetime | None:
    """When the conversation ends for no message since `since` (None: its channel has no timeout)."""
    timeout = changes.facts.timeout_s(record)
    return since + timedelta(seconds=timeout / changes.setup.time_scale) if timeout else None


def _redact(changes: Changes, record: ConversationRecord, role: Role, text: str) -> str:
    """`text` masked with the party's earlier messages; those a card number now reaches are rewritten."""
    if not starts_in_run(text):  # no number of an earlier message can go on into it: no read of them
        return mask_pci(text)
    earlier = changes.messages(record.contact_id, role, newest=SPLIT_REACH)
    rewritten, masked = mask_arriving([item.text for _, item in earlier], text)
    for (number, item), now in zip(earlier, rewritten, strict=True):
        if now != item.text:
            changes.redact(number, item.model_copy(update={"text": now}))
    return masked
