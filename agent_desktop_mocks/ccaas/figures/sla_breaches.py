"""SLA breaches per queue: the chats, SMS and emails of each queue whose response clock is past its target,
as the desk's clocks count them (agent_desktop/agent_desk/conversations/sla_clocks.py): a first reply awaited since the contact
entered the queue (waiting or in hand, until the agent's first message), a next reply since the oldest customer
message the agent has not answered. The waits come from the conversations (conversations/reply_waits.py); the
count goes out with the queue figures (`QueueStats.sla_breaches`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Queue


@dataclass(frozen=True)
class ReplyWait:
    """A customer waiting for a reply: which one and since when."""

    queue_id: str
    channel: Channel
    kind: Literal["first", "next"]
    since: datetime


def breaches(queues: Iterable[Queue], waits: Iterable[ReplyWait], now: datetime) -> dict[str, int]:
    """Each queue's waits past their target (every queue named, 0 for none): due at `since + target`, breached
    from that instant on, as the desk's clock reads "now"."""
    targets = {queue.id: queue.response_targets for queue in queues}
    counts = dict.fromkeys(targets, 0)
    for wait in waits:
        target = targets.get(wait.queue_id, {}).get(wait.channel)
        if target is None:
            continue
        target_s = target.first_response_s if wait.kind == "first" else target.next_response_s
        if (now - wait.since).total_seconds() >= target_s:
            counts[wait.queue_id] += 1
    return counts


# Per queue, the conversations in agents' hands awaiting our reply, snoozed, with a reply scheduled (the
# conversations' to tell: conversations/reply_waits.py), and the chats its virtual agent contained, escalated and
# failed (api/virtual_agent_wiring.py adds them), as `QueueStats` names them.
QueueConversations = Mapping[str, Mapping[str, int]]
CONVERSATION_COUNTS = ("awaiting_reply", "snoozed", "scheduled_replies")
VIRTUAL_AGENT_COUNTS = ("virtual_agent_contained", "virtual_agent_escalated", "virtual_agent_failed")


def conversation_figures(counts: QueueConversations, queue_id: str) -> dict[str, int | None]:
    """A queue's conversations in hand awaiting our reply, snoozed and with a reply scheduled (0 where none), and its
    virtual agent's chats (None where the queue has no virtual agent)."""
    mine = counts.get(queue_id, {})
    return {
        **{name: mine.get(name, 0) for name in CONVERSATION_COUNTS},
        **{name: mine.get(name) for name in VIRTUAL_AGENT_COUNTS},
    }
