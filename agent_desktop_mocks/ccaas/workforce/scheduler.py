"""Schedules for a day: each agent's shift, two breaks and a lunch, placed greedily to cover the need.

A heuristic, not an optimiser (a WFM product solves an integer programme): agents are placed one at a time, each
on the shift start that covers the most still-uncovered need (the earliest of equals); then their lunch and
breaks go, inside their windows, where the floor has the most cover to spare. Time is in quarter-hours from
opening (a break is one); the need is per half-hour, as the forecast is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SLOTS_PER_INTERVAL = 2
SHIFT_SLOTS = 32  # eight hours, lunch and breaks included
LUNCH_SLOTS = 2
# Where each break or lunch may start, in slots from the shift's start (a real agreement's rules, simplified):
# a first break in the second or third hour, lunch between the fourth and fifth, a second break in the seventh.
FIRST_BREAK = (6, 10)
LUNCH = (12, 18)
SECOND_BREAK = (22, 27)


@dataclass(frozen=True)
class Activity:
    kind: str  # "break" or "lunch"
    start: int  # slot
    end: int  # slot, exclusive


@dataclass(frozen=True)
class Shift:
    agent_id: str
    start: int
    end: int
    activities: tuple[Activity, ...] = field(default=())

    def working(self, slot: int) -> bool:
        return self.start <= slot < self.end and not any(a.start <= slot < a.end for a in self.activities)


def coverage(shifts: list[Shift], slots: int) -> list[int]:
    """Agents working in each slot."""
    return [sum(shift.working(slot) for shift in shifts) for slot in range(slots)]


def interval_coverage(shifts: list[Shift], intervals: int) -> list[float]:
    """Agents working in each half-hour (a break counts for half)."""
    slots = coverage(shifts, intervals * SLOTS_PER_INTERVAL)
    return [
        sum(slots[i * SLOTS_PER_INTERVAL : (i + 1) * SLOTS_PER_INTERVAL]) / SLOTS_PER_INTERVAL for i in range(intervals)
    ]


def schedule(agent_ids: list[str], need_per_interval: list[int]) -> list[Shift]:
    """One shift per agent (a day shorter than a shift: the whole day), covering `need_per_interval` as well as
    the agents allow."""
    need = [n for n in need_per_interval for _ in range(SLOTS_PER_INTERVAL)]
    slots = len(need)
    length = min(SHIFT_SLOTS, slots)
    cover = [0] * slots
    shifts = []
    for agent_id in agent_ids:
        start = max(range(slots - length + 1), key=lambda s: (_uncovered(need, cover, s, s + length), -s))
        for slot in range(start, start + length):
            cover[slot] += 1
        activities = []
        if length == SHIFT_SLOTS:
            for kind, (low, high), size in (
                ("break", FIRST_BREAK, 1),
                ("lunch", LUNCH, LUNCH_SLOTS),
                ("break", SECOND_BREAK, 1),
            ):
                at = max(range(start + low, start + high + 1), key=lambda s: (_spare(need, cover, s, s + size), -s))
                activities.append(Activity(kind, at, at + size))
                for slot in range(at, at + size):
                    cover[slot] -= 1
        shifts.append(Shift(agent_id, start, start + length, tuple(activities)))
    return shifts


def _uncovered(need: list[int], cover: list[int], start: int, end: int) -> float:
    """The share of the need still short, summed over the slots: a slot half covered counts for half, so when the
    agents cannot cover the day they spread over it rather than all starting when it opens."""
    return sum((need[slot] - cover[slot]) / need[slot] for slot in range(start, end) if need[slot] > cover[slot])


def _spare(need: list[int], cover: list[int], start: int, end: int) -> int:
    return min(cover[slot] - need[slot] for slot in range(start, end))
