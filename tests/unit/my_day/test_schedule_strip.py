"""The agent's schedule strip: each activity of the shift with its time, the one under way, and what
comes next (agent_desktop/agent_desk/my_day/schedule_strip.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from agent_desktop.agent_desk.my_day.schedule_strip import next_words, schedule_strip
from agent_desktop.domain.workforce.models import AgentSchedule, ScheduledActivity

T = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T + timedelta(hours=hours)


SHIFT = AgentSchedule(
    agent_id="agent-001",
    day=date(2026, 11, 26),
    shift_start=at(0),
    shift_end=at(8),
    activities=tuple(
        ScheduledActivity(activity=kind, start=at(a), end=at(b))
        for kind, a, b in [
            ("work", 0, 2.5),
            ("break", 2.5, 2.75),
            ("work", 2.75, 4),
            ("lunch", 4, 4.5),
            ("work", 4.5, 6),
            ("Team huddle", 6, 6.5),
            ("work", 6.5, 8),
        ]
    ),
)


def test_next_is_the_next_break_or_lunch_ahead() -> None:
    assert next_words(SHIFT, at(1)) == "next: Break at 10:30"
    assert next_words(SHIFT, at(2.6)) == "next: Lunch at 12:00", "the break under way is not next"
    assert next_words(SHIFT, at(5)) == "next: Team huddle at 14:00", "an activity of its own is named as written"
    assert next_words(SHIFT, at(7)) == "next: end of shift at 16:00"
    assert next_words(SHIFT, at(-1)) == "shift starts at 08:00"
    assert next_words(SHIFT, at(8)) == "shift over at 16:00"


def test_the_strip_marks_the_activity_under_way_and_the_past() -> None:
    strip = schedule_strip(SHIFT, at(2.6))
    assert strip.shift == "08:00–16:00"
    assert [(i.label, i.start, i.now, i.past) for i in strip.items[:3]] == [
        ("Work", "08:00", False, True),
        ("Break", "10:30", True, False),
        ("Work", "10:45", False, False),
    ]
