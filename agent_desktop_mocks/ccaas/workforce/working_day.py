"""The contact center's working day: the date its forecasts and schedules are for, and when it opens (its twelve
opening hours follow, history.INTERVALS half-hours).

A fixed day opens at 08:00 UTC: the same schedules whatever the hour (tests, screenshots). A demo's day is laid
around the moment it starts, in the time zone of whoever runs it, so that its floor is on shift, between breaks and
lunches, at 22:00 as at 10:00: the day opens five hours before the start, and every eight-hour shift starts in the
first four hours of a twelve-hour day (workforce/scheduler.py), so all are under way then and for three hours more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from agent_desktop_mocks.ccaas.workforce.history import OPENS_HOUR

OPENS_BEFORE_START = timedelta(hours=5)


@dataclass(frozen=True)
class WorkingDay:
    day: date  # today, for the contact center: its history ends the day before
    opens: datetime  # aware

    def opening(self, day: date) -> datetime:
        """When `day` opens, in UTC: at this day's opening time that many days later, by the wall clock of its zone
        (the half-hours that follow are counted in UTC, so a change of summer time inside the day moves none)."""
        return (self.opens + timedelta(days=(day - self.day).days)).astimezone(UTC)


def fixed_day(day: date) -> WorkingDay:
    """`day`, opening at 08:00 UTC."""
    return WorkingDay(day, datetime.combine(day, time(OPENS_HOUR), UTC))


def day_around(now: datetime, zone: tzinfo) -> WorkingDay:
    """A day opening on the half-hour five hours before `now` in `zone`: its date is the opening's, there."""
    local = now.astimezone(zone)
    opens = local.replace(minute=local.minute // 30 * 30, second=0, microsecond=0) - OPENS_BEFORE_START
    return WorkingDay(opens.date(), opens)
