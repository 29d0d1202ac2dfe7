"""One written form for a date wherever the desk shows one (item 10): ISO's year-month-day, four-digit
year ("2026-08-02"), and a moment as that date and the agent's local time ("2026-08-02 21:00"). The history's
"26-08-02" beside the orders' "2026-10-23" read as two different calendars."""

from __future__ import annotations

from datetime import date, datetime


def shown_date(day: date | datetime) -> str:
    if isinstance(day, datetime):
        day = day.astimezone().date() if day.tzinfo is not None else day.date()
    return day.isoformat()


def shown_when(at: datetime) -> str:
    local = at.astimezone() if at.tzinfo is not None else at
    return local.strftime("%Y-%m-%d %H:%M")
