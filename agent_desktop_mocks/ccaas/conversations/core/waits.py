"""A conversation that waits on its agent's say: snoozed until a time, or a reply scheduled to send at one.

The rules (docs/mock-apis.md, "Snooze and send later"):
- A customer's message wakes a snoozed conversation, except an acknowledgement after our reply: a message of at
  most six words, each a word of thanks or assent ("thanks!", "ok great", "thank you so much 👍"), no question,
  written while the agent had the last word. That one is kept in the transcript and the unread count, but the
  conversation stays snoozed and is not marked awaiting our reply: the case is resolved and a "thanks" does not
  reopen it. The agent who wants it reopened by any reply says so when snoozing (`wake_on_acknowledgement`).
- A customer's message, whatever it says, cancels a scheduled reply: what the agent wrote may no longer fit.
- While either waits, the customer's inactivity does not end the conversation; the deadline starts again when
  neither does (the agent's or the customer's next message, a wake, a cancel).
"""

from __future__ import annotations

import re
import string
from datetime import datetime

from agent_desktop_mocks.ccaas.conversations.core.changes import Changes
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import (
    ScheduledOutcome,
    ScheduledReply,
    ScheduledReplyEvent,
    SnoozeEvent,
    WokenBy,
)

ACKNOWLEDGEMENT_WORDS = frozenset(
    "thanks thank thx ty tyvm you so much very many a lot ok okay k great perfect cheers cool brilliant awesome "
    "appreciated appreciate it noted got that's thats all good fine super lovely wonderful 👍 🙏 🙂 😊".split()
)
MOST_ACKNOWLEDGEMENT_WORDS = 6
_PUNCTUATION = frozenset(string.punctuation + "…–—")
_WORD = re.compile(r"[\w'’]+|[^\w\s]", re.UNICODE)


def is_acknowledgement(text: str) -> bool:
    """A short thanks or assent that asks nothing ("Thanks!", "ok, great", "thank you so much 👍")."""
    if "?" in text:
        return False
    words = [w.replace("’", "'").lower() for w in _WORD.findall(text) if not all(c in _PUNCTUATION for c in w)]
    return 0 < len(words) <= MOST_ACKNOWLEDGEMENT_WORDS and all(w in ACKNOWLEDGEMENT_WORDS for w in words)


def waits(record: ConversationRecord) -> bool:
    """Snoozed or a reply scheduled: the customer's inactivity does not end it meanwhile."""
    return record.snoozed_until is not None or record.scheduled_reply is not None


def keeps_snooze(record: ConversationRecord, text: str) -> bool:
    """The customer's `text` leaves the snoozed conversation asleep: an acknowledgement after our reply."""
    return (
        record.snoozed_until is not None
        and not record.wake_on_acknowledgement
        and record.awaiting_reply_since is None
        and is_acknowledgement(text)
    )


def snooze(changes: Changes, record: ConversationRecord, until: datetime, wake_on_acknowledgement: bool) -> None:
    record.snoozed_until, record.wake_on_acknowledgement = until, wake_on_acknowledgement
    record.inactivity_deadline = None
    changes.publish(record, SnoozeEvent(contact_id=record.contact_id, snoozed_until=until))
    changes.save(record)


def wake(changes: Changes, record: ConversationRecord, by: WokenBy, deadline: datetime | None) -> None:
    """Awake again (`deadline`: the inactivity deadline it gets, None while a scheduled reply still waits)."""
    record.snoozed_until, record.wake_on_acknowledgement = None, False
    record.inactivity_deadline = None if waits(record) else deadline
    event = SnoozeEvent(
        contact_id=record.contact_id, snoozed_until=None, woken_by=by, inactivity_deadline=record.inactivity_deadline
    )
    changes.publish(record, event)
    changes.save(record)


def schedule(changes: Changes, record: ConversationRecord, text: str, send_at: datetime) -> None:
    record.scheduled_reply = ScheduledReply(text=text, send_at=send_at)
    record.inactivity_deadline = None
    tell(changes, record, record.scheduled_reply, "scheduled")
    changes.save(record)


def drop_scheduled(
    changes: Changes, record: ConversationRecord, outcome: ScheduledOutcome, deadline: datetime | None
) -> ScheduledReply | None:
    """The scheduled reply taken off (cancelled, or about to be sent: `sent` is told by the caller with its item)."""
    reply = record.scheduled_reply
    if reply is None:
        return None
    record.scheduled_reply = None
    if not waits(record):
        record.inactivity_deadline = deadline
    if outcome != "sent":
        tell(changes, record, reply, outcome)
    changes.save(record)
    return reply


def tell(
    changes: Changes,
    record: ConversationRecord,
    reply: ScheduledReply,
    outcome: ScheduledOutcome,
    item_id: str | None = None,
) -> None:
    event = ScheduledReplyEvent(
        contact_id=record.contact_id, outcome=outcome, text=reply.text, send_at=reply.send_at, item_id=item_id
    )
    changes.publish(record, event)
