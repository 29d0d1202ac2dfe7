"""Times the supervisor screen from inside: each redraw, each paint, each cursor move (both supervisor benchmarks).

Installed as a context manager, it wraps `SupervisorScreen.redraw`, `SupervisorScreen._compositor_refresh`
and `LiveTable._set_cursor` and records wall time and the CPU time of the app's thread (which other
processes on a shared machine cannot inflate).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot

if TYPE_CHECKING:
    from textual.screen import Screen

    from agent_desktop.ui.supervisor.live_table import LiveTable


class SupervisorTimings:
    def __init__(self) -> None:
        self.redraws: list[tuple[float, float]] = []  # (start, end)
        self.paints: list[tuple[float, float]] = []
        self.cpu: dict[tuple[str, float], float] = {}  # CPU seconds of the app's thread, by (kind, start)
        self.cursor_moves: list[float] = []
        self._restore: list[Callable[[], None]] = []

    def __enter__(self) -> SupervisorTimings:
        from agent_desktop.ui.supervisor.live_table import LiveTable
        from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen

        timings = self
        redraw, refresh, set_cursor = (
            SupervisorScreen.redraw,
            SupervisorScreen._compositor_refresh,
            LiveTable._set_cursor,
        )

        def timed_redraw(self: SupervisorScreen) -> None:
            start, cpu_start = time.perf_counter(), time.thread_time()
            redraw(self)
            timings.cpu[("redraw", start)] = time.thread_time() - cpu_start
            timings.redraws.append((start, time.perf_counter()))

        def timed_refresh(self: Screen[Any]) -> None:
            start, cpu_start = time.perf_counter(), time.thread_time()
            refresh(self)
            timings.cpu[("paint", start)] = time.thread_time() - cpu_start
            timings.paints.append((start, time.perf_counter()))

        def timed_set_cursor(self: LiveTable, row: int, *, announce: bool = True) -> None:
            before = self.cursor_row
            set_cursor(self, row, announce=announce)
            if self.cursor_row != before:
                timings.cursor_moves.append(time.perf_counter())  # the paint after this shows the moved cursor

        SupervisorScreen.redraw = timed_redraw  # type: ignore[method-assign]
        SupervisorScreen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
        LiveTable._set_cursor = timed_set_cursor  # type: ignore[method-assign]

        def restore() -> None:
            SupervisorScreen.redraw = redraw  # type: ignore[method-assign]
            SupervisorScreen._compositor_refresh = refresh  # type: ignore[method-assign]
            LiveTable._set_cursor = set_cursor  # type: ignore[method-assign]

        self._restore.append(restore)
        return self

    def __exit__(self, *exc: object) -> None:
        while self._restore:
            self._restore.pop()()

    def cycles(self, after: float = 0.0) -> tuple[list[float], list[float]]:
        """Each redraw started after `after` plus the paint that put it on screen: (wall, CPU) seconds."""
        wall: list[float] = []
        cpu: list[float] = []
        for begin, end in self.redraws:
            if begin < after:
                continue
            paint = next(((a, b) for a, b in self.paints if a >= end), None)
            if paint is not None:
                wall.append((end - begin) + (paint[1] - paint[0]))
                cpu.append(self.cpu[("redraw", begin)] + self.cpu[("paint", paint[0])])
        return wall, cpu

    async def press_keys(
        self, pilot: Pilot[None], table: LiveTable, done: Callable[[], bool], seed: int = 2
    ) -> list[float]:
        """Cursor down (or home at the bottom) at random moments until `done()`: key press → moved cursor painted."""
        rng = random.Random(seed)
        keys: list[float] = []
        while not done():
            await asyncio.sleep(rng.uniform(0.05, 0.3))
            before = table.cursor_row
            painted = len(self.paints)
            start = time.perf_counter()
            press = asyncio.create_task(pilot.press("down" if before < table.row_count - 1 else "home"))
            while not (self.cursor_moves and self.cursor_moves[-1] >= start):
                await asyncio.sleep(0.0005)
            moved = self.cursor_moves[-1]
            while not any(begin >= moved for begin, _ in self.paints[painted:]):
                await asyncio.sleep(0.0005)
            keys.append(next(end for begin, end in self.paints[painted:] if begin >= moved) - start)
            await press
        return keys
