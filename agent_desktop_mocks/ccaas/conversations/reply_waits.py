"""Which customers wait for a reply now, for the queues' SLA breaches (figures/sla_breaches.py): every written contact
waiting in its queue or being talked to, with the reply it waits for (the conversation's `agent_replied` and
`reply_due_since`, kept as messages are written: core/transcript.py); and how many conversations in agents' hands
await our reply, are snoozed or have a reply scheduled, per queue, for the queue figures' `awaiting_reply`, `snoozed`
and `scheduled_replies`."""

from __future__ import annotations

from collections import Counter

from agent_desktop_mocks.ccaas.conversations.store import ConversationStore
from agent_desktop_mocks.ccaas.core.wire.schemas import TALKING, WAITING, Channel
from agent_desktop_mocks.ccaas.figures.sla_breaches import ReplyWait
from agent_desktop_mocks.ccaas.shell.engine import Engine

WRITTEN = frozenset({Channel.CHAT, Channel.SMS, Channel.EMAIL})


def reply_waits(engine: Engine, store: ConversationStore) -> list[ReplyWait]:
    waits = []
    for contact in engine.read.contacts():
        if contact.channel not in WRITTEN or (contact.state not in WAITING and contact.state not in TALKING):
            continue
        record = store.get(contact.id) if contact.state in TALKING else None
        if record is None or not record.agent_replied:
            waits.append(ReplyWait(contact.queue_id, contact.channel, "first", contact.entered_queue_at))
        elif record.reply_due_since is not None:
            waits.append(ReplyWait(contact.queue_id, contact.channel, "next", record.reply_due_since))
    return waits


def conversation_counts(engine: Engine, store: ConversationStore) -> dict[str, Counter[str]]:
    """Per queue (only those with one), the written contacts being talked whose customer wrote last
    (`awaiting_reply`), that are snoozed (`snoozed`), that have a reply scheduled (`scheduled_replies`)."""
    counts: dict[str, Counter[str]] = {}
    for contact in engine.read.contacts():
        if contact.channel in WRITTEN and contact.state in TALKING:
            record = store.get(contact.id)
            if record is None or record.state != "active":
                continue
            mine = counts.setdefault(contact.queue_id, Counter())
            mine["awaiting_reply"] += record.awaiting_reply_since is not None
            mine["snoozed"] += record.snoozed_until is not None
            mine["scheduled_replies"] += record.scheduled_reply is not None
    return {queue_id: mine for queue_id, mine in counts.items() if any(mine.values())}
