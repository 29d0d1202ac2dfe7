"""A backend's `events()` read in the background, so a scenario can wait for one event while time passes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any


class EventTap:
    def __init__(self, events: AsyncIterator[Any]) -> None:
        self.seen: list[Any] = []
        self._events = events
        self._arrived = asyncio.Event()
        self._task = asyncio.create_task(self._read())
        self._cursor = 0  # `next` looks at events after the last one it returned

    async def _read(self) -> None:
        async for event in self._events:
            self.seen.append(event)
            self._arrived.set()

    async def next(
        self, matches: Callable[[Any], bool], pass_time: Callable[[float], Awaitable[None]], within_s: float, what: str
    ) -> Any:
        """The first event after the last one returned that `matches`, letting up to `within_s` seconds of the
        backend's time pass (`pass_time` steps it: a real wait over HTTP, a clock step in-process)."""
        waited = 0.0
        while True:
            for index in range(self._cursor, len(self.seen)):
                if matches(self.seen[index]):
                    self._cursor = index + 1
                    return self.seen[index]
            if waited > within_s:
                raise AssertionError(f"no {what} within {within_s} s; saw {[type(e).__name__ for e in self.seen]}")
            step = min(0.25, within_s / 20)
            await pass_time(step)
            waited += step

    async def aclose(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        with contextlib.suppress(Exception):
            await self._events.aclose()  # type: ignore[attr-defined]


@asynccontextmanager
async def tapped(events: AsyncIterator[Any]) -> AsyncIterator[EventTap]:
    """`events` read in the background for the length of the block."""
    tap = EventTap(events)
    try:
        yield tap
    finally:
        await tap.aclose()
