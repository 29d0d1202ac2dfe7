"""The SLA clocks of a written contact (chat, SMS, email): how long until the contact center's response target
for the reply the customer is waiting for, the first one or the next one, and how near that is. No I/O, no terminal.

The first-response clock runs from the contact entering the queue until the agent's first message; a
next-response clock from the oldest customer message the agent has not answered yet until the agent's next.
With no message of the agent's in the transcript loaded so far but older items not loaded, the oldest customer
message loaded starts a next-response clock: never more time than the customer really waited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.models import Contact, ResponseTarget, TranscriptItem
from agent_desktop.domain.vocabulary import TALKING, Channel, ParticipantRole

WRITTEN = (Channel.CHAT, Channel.SMS, Channel.EMAIL)
ClockKind = Literal["first", "next"]


class ClockLevel(StrEnum):
    OK = "ok"
    NEAR = "near"  # past the target's warning share
    BREACHED = "breached"  # past the target: the reply is due now


@dataclass(frozen=True)
class SlaClock:
    kind: ClockKind
    since: datetime  # when the wait for the reply began
    due: datetime
    left_s: float  # negative once breached
    level: ClockLevel

    @property
    def text(self) -> str:
        """What the list shows: the time left, or "now" once the target has passed."""
        return "now" if self.level is ClockLevel.BREACHED else format_duration(self.left_s, "short")

    @property
    def label(self) -> str:
        return "1st reply" if self.kind == "first" else "Next reply"


def waiting_since(
    items: Sequence[TranscriptItem], has_more: bool, entered_at: datetime
) -> tuple[ClockKind, datetime] | None:
    """Which reply the customer waits for and since when; None when the agent wrote last."""
    oldest_unanswered: datetime | None = None
    for item in reversed(items):
        if item.kind != "message":
            continue
        if item.role is ParticipantRole.AGENT:
            return ("next", oldest_unanswered) if oldest_unanswered is not None else None
        if item.role is ParticipantRole.CUSTOMER:
            oldest_unanswered = item.created_at
    if has_more and oldest_unanswered is not None:
        return "next", oldest_unanswered
    return "first", entered_at


def clock(target: ResponseTarget, kind: ClockKind, since: datetime, now: datetime) -> SlaClock:
    """The clock for a reply awaited since `since`, against the target of its kind."""
    target_s = target.first_response_s if kind == "first" else target.next_response_s
    due = since + timedelta(seconds=target_s)
    left = (due - now).total_seconds()
    elapsed = target_s - left
    if left <= 0:
        level = ClockLevel.BREACHED
    elif elapsed * 100 >= target_s * target.warn_at_pct:
        level = ClockLevel.NEAR
    else:
        level = ClockLevel.OK
    return SlaClock(kind, since, due, left, level)


def contact_clock(
    contact: Contact,
    target: ResponseTarget | None,
    items: Sequence[TranscriptItem],
    has_more: bool,
    ended: bool,
    now: datetime,
) -> SlaClock | None:
    """The clock a contact in hand shows: only a written one being talked, under a target, awaiting a reply."""
    if target is None or contact.channel not in WRITTEN or contact.state not in TALKING or ended:
        return None
    waiting = waiting_since(items, has_more, contact.entered_queue_at)
    return clock(target, *waiting, now) if waiting is not None else None
