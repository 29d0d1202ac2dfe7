"""Agents' time on contacts and available as running totals: one agent's (`AgentTime`) and a queue's agents
together (`Crew`, a line whose slope is how many are in such a state), so a window's occupancy is two lookups."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState
from agent_desktop_mocks.ccaas.figures.state_timeline import ON_CONTACTS, StateTimeline


class AgentTime(StateTimeline[int]):
    """One agent's states since it was first seen, in µs (`StateTimeline`), with the running totals at today's
    midnight (kept when older changes are dropped)."""

    __slots__ = ("midnight",)

    def __init__(self, since: int, state: AgentState, midnight: int) -> None:
        super().__init__(since, state)
        self.midnight = self.at(midnight)  # the totals at today's midnight


class Crew:
    """The time of a queue's agents together: Σ of their running totals, as a line with a slope between
    changes (how many are on contacts, how many available)."""

    __slots__ = ("times", "on_contacts", "available", "n_on", "n_available", "hint")

    def __init__(self, members: Iterable[AgentTime]) -> None:
        changes: list[tuple[int, int, int, int]] = []  # (when, Δ on contacts now, Δ available now, 0)
        base_on = base_av = 0
        earliest = None
        for timeline in members:
            for i, (since, state) in enumerate(zip(timeline.starts, timeline.states, strict=True)):
                was = timeline.states[i - 1] if i else None
                d_on = (state in ON_CONTACTS) - (was in ON_CONTACTS if was is not None else 0)
                d_av = (state == AgentState.AVAILABLE) - (was == AgentState.AVAILABLE if was is not None else 0)
                changes.append((since, d_on, d_av, 0))
            base_on += timeline.on_contacts[0]
            base_av += timeline.available[0]
            earliest = timeline.starts[0] if earliest is None else min(earliest, timeline.starts[0])
        changes.sort()
        self.times = [earliest if earliest is not None else 0]
        self.on_contacts = [base_on]
        self.available = [base_av]
        self.n_on = [0]
        self.n_available = [0]
        self.hint = 0  # the segment `at` found last (a window's start moves on 2 s a pass: the same or the next)
        for since, d_on, d_av, _ in changes:
            self._step(since, d_on, d_av)

    def _step(self, since: int, d_on: int, d_av: int) -> None:
        took = since - self.times[-1]
        on = self.on_contacts[-1] + self.n_on[-1] * took
        av = self.available[-1] + self.n_available[-1] * took
        if since == self.times[-1]:
            self.on_contacts[-1], self.available[-1] = on, av
            self.n_on[-1] += d_on
            self.n_available[-1] += d_av
            return
        self.times.append(since)
        self.on_contacts.append(on)
        self.available.append(av)
        self.n_on.append(self.n_on[-1] + d_on)
        self.n_available.append(self.n_available[-1] + d_av)

    def change(self, since: int, was: AgentState, now: AgentState) -> bool:
        """One member changed state at `since`; False if that is before what is kept (rebuild instead)."""
        available = AgentState.AVAILABLE
        d_on, d_av = (now in ON_CONTACTS) - (was in ON_CONTACTS), (now == available) - (was == available)
        if since >= self.times[-1]:
            self._step(since, d_on, d_av)
            return True
        if since < self.times[0]:
            return False
        # A change dated before others already counted (a timer that fired late): the line bends there,
        # and every later point moves by the new slope's difference.
        i = bisect.bisect_right(self.times, since) - 1
        if self.times[i] != since:
            on, av = self.at(since)
            i += 1
            self.times.insert(i, since)
            self.on_contacts.insert(i, on)
            self.available.insert(i, av)
            self.n_on.insert(i, self.n_on[i - 1])
            self.n_available.insert(i, self.n_available[i - 1])
        for j in range(i, len(self.times)):
            took = self.times[j] - since
            self.on_contacts[j] += d_on * took
            self.available[j] += d_av * took
            self.n_on[j] += d_on
            self.n_available[j] += d_av
        return True

    def at(self, t: int) -> tuple[int, int]:
        times = self.times
        last = len(times) - 1
        if t >= times[last]:  # now is after the last change (every pass asks): the last segment, without a search
            i = last
        else:
            # a window's start: in the segment found last time or the next one (checked, not trusted: changes may
            # have been inserted or dropped since), else searched. A search probes some ten of the times, each an int
            # object gone cold in the 2 s of floor between two pushes: a push's figures cost less CPU without
            i = self.hint
            if not (i < last and times[i] <= t < times[i + 1]):
                i += 1
                if not (i < last and times[i] <= t < times[i + 1]):
                    i = max(0, bisect.bisect_right(times, t) - 1)
                self.hint = i
        took = t - times[i]
        if took < 0:  # before the first change kept
            took = 0
        return self.on_contacts[i] + self.n_on[i] * took, self.available[i] + self.n_available[i] * took

    def drop_before(self, line: int) -> None:
        n = bisect.bisect_left(self.times, line) - 1
        if n > 0:
            for column in (self.times, self.on_contacts, self.available, self.n_on, self.n_available):
                del column[:n]
