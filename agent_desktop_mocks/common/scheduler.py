"""One scheduler for a mock server's timed work: each part says when it is next due, one task sleeps until then.

A part (`Scheduled`: the CCaaS engine's protocol timers, the conversations' simulated customers, the
simulator's callers and agents, periodic housekeeping) keeps its own typed timers and answers
`next_due()` on the monotonic clock the server runs on, and `fire_due()` does what is due now. The
loop (`run`) sleeps until the earliest part is due instead of polling each at its own pace; a part that
schedules something sooner calls `wake()`. A test that owns a `ManualClock` steps the same parts with
`advance(seconds)`: each due instant in order, none waited for.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

IDLE_S = 60.0  # nothing due: look again after this long anyway (a part that forgot to wake the loop)
STUCK_S = 0.005  # a part still due at the instant it was just fired: wait a little rather than spin
FAILED_PAUSE_S = 0.2  # after a part failed (and may fail again at once), as the old polling loops paced it


class Scheduled(Protocol):
    def next_due(self) -> float | None:
        """When this part is next due (monotonic seconds), or None: nothing scheduled."""
        ...

    def fire_due(self) -> None:
        """Do what is due now (a part with nothing due does nothing)."""
        ...


class Every:
    """A periodic part: `action` every `period_s` (monotonic seconds), the first one period from now."""

    def __init__(self, period_s: float, action: Callable[[], None], monotonic: Callable[[], float]) -> None:
        self.period_s = period_s
        self._action = action
        self._monotonic = monotonic
        self._next = monotonic() + period_s

    def next_due(self) -> float | None:
        return self._next

    def fire_due(self) -> None:
        now = self._monotonic()
        if now < self._next:
            return
        self._next = max(self._next + self.period_s, now)  # a late turn does not bunch the next ones up
        self._action()


class Scheduler:
    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._parts: list[tuple[str, Scheduled]] = []
        self._woken: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._sleeping_until = -math.inf  # while the loop sleeps: when it means to wake

    def add(self, name: str, part: Scheduled) -> None:
        self._parts.append((name, part))
        self.wake()

    def next_due(self) -> float | None:
        dues = [due for _, part in self._parts if (due := part.next_due()) is not None]
        return min(dues, default=None)

    def fire_due(self) -> bool:
        """The due parts' work, at the current instant; a part's failure is logged, the others still run.
        False if one failed."""
        now = self._monotonic()
        ok = True
        for name, part in self._parts:
            due = part.next_due()
            if due is None or due > now:
                continue
            try:
                part.fire_due()
            except Exception:  # a bug in one part must not stop the server's others
                log.exception("scheduled %s failed", name)
                ok = False
        return ok

    def wake(self) -> None:
        """Something was scheduled: if it falls due before the sleeping loop means to wake, wake it now."""
        woken, loop = self._woken, self._loop
        if woken is None or loop is None or woken.is_set():
            return
        due = self.next_due()
        if due is not None and due < self._sleeping_until:
            if threading.get_ident() == self._loop_thread:  # requests and timers: the loop's own thread
                woken.set()
            else:  # a test calling the engine from its own thread while the server runs
                loop.call_soon_threadsafe(woken.set)

    async def run(self) -> None:
        """Sleep until the earliest part is due (or `wake()`), fire what is due; until cancelled."""
        self._woken = asyncio.Event()
        self._loop, self._loop_thread = asyncio.get_running_loop(), threading.get_ident()
        fired: float | None = None
        try:
            while True:
                due = self.next_due()
                now = self._monotonic()
                delay = IDLE_S if due is None else min(max(0.0, due - now), IDLE_S)
                if delay == 0 and due == fired:
                    delay = STUCK_S
                if delay > 0:
                    self._sleeping_until = now + delay
                    self._woken.clear()
                    try:
                        async with asyncio.timeout(delay):
                            await self._woken.wait()
                    except TimeoutError:
                        pass
                    finally:
                        self._sleeping_until = -math.inf
                else:
                    await asyncio.sleep(0)  # let requests in between turns that are all due at once
                fired = due
                if not self.fire_due():
                    await asyncio.sleep(FAILED_PAUSE_S)
        finally:
            self._woken = self._loop = self._loop_thread = None
