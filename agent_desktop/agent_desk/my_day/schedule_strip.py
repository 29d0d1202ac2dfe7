"""The agent's shift today as a strip: each activity in order with its time, the one under way, and
what comes next ("next: Break at 10:30"). Textual-free; drawn in "my day" (ui/agent/my_day/my_day_view.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent_desktop.domain.workforce.models import AgentSchedule

# The activities a WFM names; any other is shown as the contact center wrote it (literally).
ACTIVITY_LABELS = {"work": "Work", "break": "Break", "lunch": "Lunch"}


@dataclass(frozen=True)
class StripItem:
    label: str
    start: str  # HH:MM in the agent's zone
    end: str
    now: bool  # under way
    past: bool


@dataclass(frozen=True)
class ScheduleStrip:
    shift: str  # "08:30–16:30"
    items: tuple[StripItem, ...]
    next_words: str  # "next: Break at 10:30", "shift starts at 08:30", "shift over at 16:30"


def label(activity: str) -> str:
    return ACTIVITY_LABELS.get(activity, activity)


def next_words(schedule: AgentSchedule, now: datetime) -> str:
    """What comes next: the next break or lunch under way or ahead (work between them is the shift itself)."""

    def hhmm(t: datetime) -> str:
        return t.astimezone(now.tzinfo).strftime("%H:%M")

    if now < schedule.shift_start:
        return f"shift starts at {hhmm(schedule.shift_start)}"
    if now >= schedule.shift_end:
        return f"shift over at {hhmm(schedule.shift_end)}"
    ahead = [a for a in schedule.activities if a.start > now and a.activity != "work"]
    if ahead:
        return f"next: {label(ahead[0].activity)} at {hhmm(ahead[0].start)}"
    return f"next: end of shift at {hhmm(schedule.shift_end)}"


def schedule_strip(schedule: AgentSchedule, now: datetime) -> ScheduleStrip:
    def hhmm(t: datetime) -> str:
        return t.astimezone(now.tzinfo).strftime("%H:%M")

    items = tuple(
        StripItem(label(a.activity), hhmm(a.start), hhmm(a.end), a.start <= now < a.end, a.end <= now)
        for a in schedule.activities
    )
    return ScheduleStrip(f"{hhmm(schedule.shift_start)}–{hhmm(schedule.shift_end)}", items, next_words(schedule, now))
