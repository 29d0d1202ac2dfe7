"""When a snooze ends or a scheduled reply goes, without a terminal: the choices offered and a time the
agent types, read in the agent's own zone (the desk's `TZ`, as a callback's is), or refused in words.

What may be typed: `HH:MM` (today, or tomorrow once that time has passed today), or `YYYY-MM-DD HH:MM`. A wall time
the clocks skip is refused as a callback's is; the contact center refuses a time in the past or more than 30 days
ahead (its 422 is said as it comes)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent_desktop.agent_desk.callbacks.callback_rules import CallbackDraft, CallbackTime, read_time, zone_of

TOMORROW_AT = time(9, 0)  # "tomorrow morning": when the working day starts


def wait_choices(now: datetime, zone: str) -> list[tuple[datetime, str]]:
    """In an hour, and tomorrow at 09:00 in the agent's zone, each said on the agent's clock."""
    tz = zone_of(zone) or UTC
    hour = now + timedelta(hours=1)
    tomorrow = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), TOMORROW_AT, tzinfo=tz)
    return [
        (hour, f"In 1 hour ({hour.astimezone(tz):%H:%M})"),
        (tomorrow.astimezone(UTC), f"Tomorrow {TOMORROW_AT:%H:%M} ({tomorrow:%a %d %b})"),
    ]


def read_wait_time(typed: str, now: datetime, zone: str) -> datetime | str:
    """The typed time as an aware time, or why not in words."""
    tz = zone_of(zone) or ZoneInfo("UTC")
    text = " ".join(typed.split())
    day, _, at = text.rpartition(" ")
    if not at:
        return f"Type a time such as 17:30 or {now.astimezone(tz):%Y-%m-%d} 17:30 ({tz.key})."
    today = now.astimezone(tz).date()
    read = read_time(CallbackDraft(day or today.isoformat(), at, tz.key), now)
    if isinstance(read, str) and not day and "has passed" in read:  # 09:00 typed in the afternoon: tomorrow's
        read = read_time(CallbackDraft((today + timedelta(days=1)).isoformat(), at, tz.key), now)
    return read.due_at if isinstance(read, CallbackTime) else read


def said(at: datetime, zone: str, now: datetime) -> str:
    """`at` as the agent reads it: 17:30 today, 09:00 tomorrow, or 09:00 on 2026-12-03, in their zone."""
    tz = zone_of(zone) or UTC
    local = at.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    return f"{local:%H:%M} " + {0: "today", 1: "tomorrow"}.get(days, f"on {local:%Y-%m-%d}")
