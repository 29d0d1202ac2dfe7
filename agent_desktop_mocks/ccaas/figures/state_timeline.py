"""Agents' states as the from-scratch figures hold them (stats.py): one agent's timeline with running totals
(`StateTimeline`), and the days' totals of the segments folded out of memory (`TimeTotals`, `fold_segment`)."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Generic, TypeVar

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState

ON_CONTACTS = frozenset({AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK})

# A timeline's clock: epoch seconds (float) or integer µs; its totals are in the same unit.
N = TypeVar("N", int, float)


@dataclass
class TimeTotals:
    """One agent's seconds for one day, of the state segments folded out of memory."""

    on_contacts: float = 0.0
    available: float = 0.0


class StateTimeline(Generic[N]):
    """One agent's states since some moment, with running totals of time on contacts and time available
    at each change: any window's two figures are two binary searches, not a walk over the segments.
    Times are epoch seconds (stats.py) or integer µs (agent_time.py: sums that add and take away exactly)."""

    __slots__ = ("starts", "states", "on_contacts", "available")

    def __init__(self, since: N, state: AgentState) -> None:
        self.starts: list[N] = [since]
        self.states = [state]
        self.on_contacts: list[N] = [0]  # up to each start
        self.available: list[N] = [0]

    @property
    def state(self) -> AgentState:
        return self.states[-1]

    def change(self, since: N, state: AgentState) -> N | None:
        """The moment of the change (None: no change)."""
        if state == self.states[-1]:
            return None
        since = max(since, self.starts[-1])
        took = since - self.starts[-1]
        was = self.states[-1]
        self.on_contacts.append(self.on_contacts[-1] + (took if was in ON_CONTACTS else 0))
        self.available.append(self.available[-1] + (took if was == AgentState.AVAILABLE else 0))
        self.starts.append(since)
        self.states.append(state)
        return since

    def window(self, start: N, end: N) -> tuple[N, N]:
        """Time on contacts and time available between `start` and `end` (what is held of them)."""
        start = max(start, self.starts[0])
        if end <= start:
            return end - end, end - end  # nothing: a zero of the clock's unit
        a, b = self.at(start), self.at(end)
        return b[0] - a[0], b[1] - a[1]

    def drop_before(self, line: N) -> list[tuple[N, N, AgentState]]:
        """Remove the segments that ended before `line`; returns them as (since, until, state)."""
        n = bisect.bisect_left(self.starts, line) - 1  # segments 0..n-1 end at starts[1..n] < line
        if n <= 0:
            return []
        gone = [(self.starts[i], self.starts[i + 1], self.states[i]) for i in range(n)]
        for column in (self.starts, self.states, self.on_contacts, self.available):
            del column[:n]
        return gone

    def at(self, t: N) -> tuple[N, N]:
        """The running totals at `t` (before the first start: those at it)."""
        if t <= self.starts[0]:
            return self.on_contacts[0], self.available[0]
        i = bisect.bisect_right(self.starts, t) - 1
        took = t - self.starts[i]
        state = self.states[i]
        return (
            self.on_contacts[i] + (took if state in ON_CONTACTS else 0),
            self.available[i] + (took if state == AgentState.AVAILABLE else 0),
        )


def fold_segment(
    since: float, until: float, state: AgentState, totals: Callable[[date], TimeTotals], tz: tzinfo | None
) -> None:
    """Add one state segment (epoch seconds) to the days it spans."""
    if state not in ON_CONTACTS and state != AgentState.AVAILABLE:
        return
    while since < until:
        day = datetime.fromtimestamp(since, tz).date()
        next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz).timestamp()
        end = min(until, next_midnight)
        time = totals(day)
        if state in ON_CONTACTS:
            time.on_contacts += end - since
        else:
            time.available += end - since
        since = end
