"""Callbacks an agent owns, without a terminal: what the agent typed (date, time, zone) read into an
aware time or refused in words, the zone to start from, and the agent's callbacks for today as they are listed.

The rules, where the issue is silent:
- the zone offered first is the customer's (their CRM record's `time_zone`), else the agent's own (the desk's
  `TZ`, else the system's zone, else UTC);
- a wall time that does not exist in the zone (the hour the clocks skip in spring) is refused, naming the
  change; one that happens twice (the hour repeated in autumn) is the first of the two, as calendars take it;
- a time not after now is refused, the now told in that zone;
- "today" is the agent's day, in the agent's zone: a callback is listed when it falls due that day.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent_desktop.domain.calls.scheduled_callback import CallbackState, ScheduledCallback

STATE_WORDS: dict[CallbackState, str] = {
    "scheduled": "scheduled",
    "offered": "offered",
    "done": "done",
    "queued": "gone to the queue",
}


@dataclass(frozen=True)
class CallbackDraft:
    """What the dialog holds, as typed (kept whole when refused)."""

    day: str  # YYYY-MM-DD
    at: str  # HH:MM (or HH:MM:SS), 24 hours
    zone: str  # IANA, e.g. Europe/Paris
    note: str = ""


@dataclass(frozen=True)
class CallbackTime:
    due_at: datetime  # aware
    zone: str


@dataclass(frozen=True)
class CallbackRow:
    """One of the agent's callbacks today, as the list shows it."""

    id: str
    agent_time: str  # HH:MM in the agent's zone
    customer_time: str  # HH:MM and the zone's abbreviation, in the customer's zone
    number: str
    note: str
    state: str  # in words (STATE_WORDS)


def zone_of(name: str) -> ZoneInfo | None:
    """The IANA zone, or None for a name that is none (zoneinfo also takes file paths: refused here)."""
    name = name.strip()
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        return None


def agent_zone() -> str:
    """The agent's own zone: `TZ` when it names one, else the system's (/etc/localtime), else UTC."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        candidates.append(str(localtime.resolve()).partition("zoneinfo/")[2])
    return next((name for name in candidates if name and zone_of(name) is not None), "UTC")


def first_zone(customer_zone: str | None, own_zone: str) -> str:
    """The zone the dialog starts with: the customer's when their record has a real one, else the agent's."""
    return customer_zone if customer_zone and zone_of(customer_zone) is not None else own_zone


def draft_for(now: datetime, zone: str) -> CallbackDraft:
    """A first draft: an hour from now, on the quarter hour, in `zone`."""
    local = now.astimezone(zone_of(zone) or UTC)
    minutes = local.hour * 60 + local.minute + 60
    minutes += -minutes % 15
    day = local.date().toordinal() + minutes // (24 * 60)
    minutes %= 24 * 60
    return CallbackDraft(date.fromordinal(day).isoformat(), f"{minutes // 60:02d}:{minutes % 60:02d}", zone)


def read_time(draft: CallbackDraft, now: datetime) -> CallbackTime | str:
    """The draft as an aware time, or why not in words (nothing of the draft is changed)."""
    zone = zone_of(draft.zone)
    if zone is None:
        return f"Unknown time zone {draft.zone.strip()!r}: an IANA name such as Europe/Paris or America/Chicago."
    try:
        day = date.fromisoformat(draft.day.strip())
    except ValueError:
        return f"No such date {draft.day.strip()!r}: write it as YYYY-MM-DD, e.g. {now.date().isoformat()}."
    try:
        parts = [int(part) for part in draft.at.strip().split(":")]  # HH:MM, or HH:MM:SS
        if len(parts) not in (2, 3):
            raise ValueError(draft.at)
        at = time(parts[0], parts[1], parts[2] if len(parts) == 3 else 0)
    except ValueError:
        return f"No such time {draft.at.strip()!r}: write it as HH:MM on 24 hours, e.g. 14:30."
    wall = datetime.combine(day, at)
    # fold 0: the first of a repeated hour. In UTC: an aware time in a fold compares unequal to every other zone's.
    due = wall.replace(tzinfo=zone).astimezone(UTC)
    if due.astimezone(zone).replace(tzinfo=None) != wall:
        return f"{at:%H:%M} does not exist on {day:%d %B %Y} in {zone.key}: the clocks go forward then."
    if due <= now:
        there = now.astimezone(zone)
        return f"That time has passed: it is {there:%Y-%m-%d %H:%M} in {zone.key} now."
    return CallbackTime(due, zone.key)


def confirmation(read: CallbackTime, own_zone: str, now: datetime) -> str:
    """What the agent is told once a callback is scheduled: the time as typed, in the zone it was typed in, and, where
    that is not the agent's own, when it falls on the agent's clock (My day lists the callbacks of the agent's day)."""
    theirs = read.due_at.astimezone(zone_of(read.zone) or UTC)
    said = f"Callback at {theirs:%Y-%m-%d %H:%M} {read.zone}"
    mine_zone = zone_of(own_zone) or ZoneInfo("UTC")
    if mine_zone.key == read.zone:
        return said
    mine = read.due_at.astimezone(mine_zone)
    days = (mine.date() - now.astimezone(mine_zone).date()).days
    day = {0: "today", 1: "tomorrow"}.get(days, f"on {mine:%Y-%m-%d}")
    return f"{said}: {mine:%H:%M} {day} on your clock ({mine_zone.key})"


def todays_rows(callbacks: Iterable[ScheduledCallback], own_zone: str, now: datetime) -> list[CallbackRow]:
    """The callbacks falling due on the agent's today (their zone), soonest first, with both times."""
    mine = zone_of(own_zone) or UTC
    today = now.astimezone(mine).date()
    rows = []
    for callback in sorted(callbacks, key=lambda c: c.due_at):
        local = callback.due_at.astimezone(mine)
        if local.date() != today:
            continue
        theirs = callback.due_at.astimezone(zone_of(callback.time_zone) or UTC)
        rows.append(
            CallbackRow(
                callback.id,
                f"{local:%H:%M}",
                f"{theirs:%H:%M} {theirs.tzname() or callback.time_zone}",
                callback.number,
                callback.note,
                STATE_WORDS[callback.state],
            )
        )
    return rows
