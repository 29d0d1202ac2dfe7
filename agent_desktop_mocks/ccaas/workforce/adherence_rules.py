"""Real-time adherence's rules, pure: what an agent is scheduled to do at an instant, whether their state
agrees with it, and one agent's day of adherence kept from their state changes and the schedule's boundaries.

As Genesys Cloud's and NICE's WFM count it: only scheduled time is measured (outside the shift nothing is); the
day's adherence is the time in adherence over the scheduled time so far, counted as it happened (the tolerance
only delays the report of an episode, it does not forgive its time). Times are POSIX seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

OFF = "off"  # outside the shift
WORK = "work"
# States that are working as scheduled: on queue, with a contact, or just past a missed offer (routable again soon).
WORKING = frozenset({"available", "offered", "busy", "after_contact_work", "missed"})


@dataclass(frozen=True)
class Slot:
    activity: str  # work, break, lunch, or the contact center's own
    start: float
    end: float


def scheduled_at(slots: Sequence[Slot], at: float) -> str:
    """The activity scheduled at `at`; OFF outside the shift."""
    for slot in slots:
        if slot.start <= at < slot.end:
            return slot.activity
    return OFF


def adheres(scheduled: str, state: str, reason: str | None) -> bool:
    """Work: a working state. A break, lunch or other activity: not ready for a reason of that name (the agent's
    `Break` for a break). Off shift: nothing is measured, so nothing is out."""
    if scheduled == OFF:
        return True
    if scheduled == WORK:
        return state in WORKING
    return state == "not_ready" and (reason or "").casefold() == scheduled.casefold()


@dataclass
class AgentAdherence:
    """One agent's day: `set_state` at each change of state, `advance` to move the clock (a schedule boundary, a
    tolerance passing); `in_s + out_s` is the scheduled time between `started` and `at`."""

    slots: tuple[Slot, ...]
    state: str
    reason: str | None
    at: float  # accounted up to here
    started: float = 0.0
    in_s: float = 0.0
    out_s: float = 0.0
    out_since: float | None = None  # the episode's start: when actual and scheduled last began to differ
    _boundaries: tuple[float, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        self.started = self.at
        self._boundaries = tuple(sorted({t for s in self.slots for t in (s.start, s.end)}))
        self._episode(self.at)

    @property
    def scheduled(self) -> str:
        return scheduled_at(self.slots, self.at)

    @property
    def in_adherence(self) -> bool:
        return adheres(self.scheduled, self.state, self.reason)

    def out_for(self, now: float) -> float:
        return 0.0 if self.out_since is None else max(0.0, now - self.out_since)

    def reported(self, now: float, tolerance_s: float) -> bool:
        """Out of adherence for longer than the tolerance: what the supervisor is told."""
        return self.out_since is not None and now - self.out_since >= tolerance_s

    def pct(self) -> float | None:
        """The day's adherence so far, %; None before any scheduled time."""
        total = self.in_s + self.out_s
        return None if total <= 0 else 100.0 * (self.in_s / total)  # the share first: never past 100 by rounding

    def next_boundary(self) -> float | None:
        return next((t for t in self._boundaries if t > self.at), None)

    def set_state(self, at: float, state: str, reason: str | None) -> None:
        self.advance(at)
        self.state, self.reason = state, reason
        self._episode(self.at)

    def advance(self, to: float) -> None:
        """Account the time from `at` to `to`, piece by piece between the schedule's boundaries."""
        while self.at < to:
            end = min(to, self.next_boundary() or to)
            scheduled = self.scheduled
            if scheduled != OFF:
                if adheres(scheduled, self.state, self.reason):
                    self.in_s += end - self.at
                else:
                    self.out_s += end - self.at
            self.at = end
            self._episode(end)

    def _episode(self, at: float) -> None:
        if self.in_adherence:
            self.out_since = None
        elif self.out_since is None:
            self.out_since = at
