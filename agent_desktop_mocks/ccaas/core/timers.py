"""The core's timers: typed, on the engine's monotonic clock, each valid for one generation.

A timer is for a record (an offer, a contact's ACW, a consult leg, a callback's dial or its
retry) and a generation of it: starting
a new ACW or consult on a contact gives it a new generation, so a timer from an earlier one fires as a
no-op. Nothing is ever removed from the heap; stale timers are skipped when due. Generations come from
one counter, so a record's entry can go when its timer is cancelled or spent (a long run stays small:
a cancelled offer timer per accepted offer used to stay for good). When most of the heap is stale it is
rebuilt from the running timers: a cancelled offer's entry (most offers end before their timeout) would
otherwise stay until its due time, alive to each young garbage collection (bench_routing's offers wait an
hour: thousands of stale entries, each walked by the middle generation's collections inside an offer).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from typing import Literal

TimerKind = Literal["offer", "acw", "consult", "dial", "retry", "declined", "voicemail"]


@dataclass(frozen=True, order=True)
class Timer:
    kind: TimerKind
    ref: str  # the offer id or the contact id
    generation: int


class Timers:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._generations = itertools.count(1)
        self._generation: dict[tuple[TimerKind, str], int] = {}  # the current generation of each running timer

    def start(self, kind: TimerKind, ref: str, due: float) -> Timer:
        """A new timer for the record; any earlier one of the same kind for it no longer fires."""
        generation = next(self._generations)
        self._generation[(kind, ref)] = generation
        timer = Timer(kind, ref, generation)
        heap = self._heap
        heapq.heappush(heap, (due, next(self._seq), timer))
        if len(heap) > 2 * len(self._generation) + 64:
            heap[:] = [entry for entry in heap if self._current(entry[2])]
            heapq.heapify(heap)
        return timer

    def cancel(self, kind: TimerKind, ref: str) -> None:
        self._generation.pop((kind, ref), None)

    def next_due(self) -> float | None:
        while self._heap and not self._current(self._heap[0][2]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float) -> Timer | None:
        """The next due timer still current (it is spent), or None."""
        while self._heap and self._heap[0][0] <= now:
            _, _, timer = heapq.heappop(self._heap)
            if self._current(timer):
                del self._generation[(timer.kind, timer.ref)]
                return timer
        return None

    def _current(self, timer: Timer) -> bool:
        return self._generation.get((timer.kind, timer.ref)) == timer.generation
