"""The simulator's agenda: simulated time and the timed actions on it (callers arriving and giving up, the
simulated agents' next steps), earliest first."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

# A caller's (arrive, rate: look at a time-of-day rate again, give_up, callback) or a simulated agent's step.
AgendaKind = Literal["arrive", "rate", "give_up", "callback", "accept", "end", "complete", "available"]


@dataclass(frozen=True)
class Planned:
    """An entry of the simulator's agenda: what, and for which queue, contact, offer or agent (`|`-joined)."""

    kind: AgendaKind
    ref: str


class Agenda:
    """What is due when, in simulated seconds since start (`t`: how far the simulation has got)."""

    def __init__(self) -> None:
        self.t = 0.0
        self._heap: list[tuple[float, int, Planned]] = []
        self._seq = itertools.count()
        self.wake: Callable[[], None] = lambda: None  # real time: the scheduler looks at `next_due` again

    def at(self, after_s: float, kind: AgendaKind, ref: str) -> None:
        """Plan `kind` for `ref` `after_s` simulated seconds from now."""
        heapq.heappush(self._heap, (self.t + max(0.0, after_s), next(self._seq), Planned(kind, ref)))
        self.wake()

    def next_due(self) -> float | None:
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float) -> Planned | None:
        """The earliest action due by `now`, simulated time moved on to it (None: nothing is due)."""
        if not self._heap or self._heap[0][0] > now:
            return None
        due, _, planned = heapq.heappop(self._heap)
        self.t = max(self.t, due)
        return planned
