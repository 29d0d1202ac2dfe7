"""The mocks' one scheduler: its task sleeps until a part is due (no polling), a part that schedules something
sooner wakes it, and a part that fails does not stop the others."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime

from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.scheduler import Every, Scheduler

WAIT_S = 5.0  # bounds every wait: well under the scheduler's idle look (60 s), far over any due time here


class Part:
    """A part with a list of due times (monotonic seconds); fired ones are recorded."""

    def __init__(self, monotonic: Callable[[], float], scheduler: Scheduler | None = None) -> None:
        self.monotonic = monotonic
        self.scheduler = scheduler
        self.dues: list[float] = []
        self.fired: list[float] = []
        self.turns = 0  # how often it was asked to fire

    def at(self, due: float) -> None:
        self.dues.append(due)
        self.dues.sort()
        if self.scheduler is not None:
            self.scheduler.wake()

    def next_due(self) -> float | None:
        return self.dues[0] if self.dues else None

    def fire_due(self) -> None:
        self.turns += 1
        now = self.monotonic()
        while self.dues and self.dues[0] <= now:
            self.fired.append(self.dues.pop(0))


async def until(condition: Callable[[], object]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_the_loop_sleeps_until_a_part_is_due_and_is_woken_for_a_sooner_one() -> None:
    scheduler = Scheduler(time.monotonic)
    part = Part(time.monotonic, scheduler)
    scheduler.add("part", part)
    task = asyncio.create_task(scheduler.run())
    try:
        await asyncio.sleep(0.05)  # asleep with nothing due: it would look again only after a minute
        part.at(time.monotonic() + 0.05)  # sooner: wakes it
        await until(lambda: part.fired)
        part.at(time.monotonic() + 0.02)
        await until(lambda: len(part.fired) == 2)
        assert part.turns == 2  # asked once per due time: no polling in between
    finally:
        task.cancel()


async def test_a_failing_part_does_not_stop_the_others() -> None:
    scheduler = Scheduler(time.monotonic)

    class Broken(Part):
        def fire_due(self) -> None:
            super().fire_due()
            raise RuntimeError("a bug")

    broken, fine = Broken(time.monotonic), Part(time.monotonic)
    scheduler.add("broken", broken)
    scheduler.add("fine", fine)
    now = time.monotonic()
    broken.at(now)
    fine.at(now)
    fine.at(now + 0.05)
    task = asyncio.create_task(scheduler.run())
    try:
        await until(lambda: len(fine.fired) == 2)
        assert broken.fired
    finally:
        task.cancel()


def test_stepped_parts_fire_only_when_due_and_every_keeps_its_pace() -> None:
    clock = ManualClock(datetime(2026, 1, 5, tzinfo=UTC))
    scheduler = Scheduler(clock.monotonic)
    part = Part(clock.monotonic)
    ticks: list[float] = []
    scheduler.add("part", part)
    scheduler.add("every", Every(1.0, lambda: ticks.append(clock.monotonic()), clock.monotonic))
    part.at(2.5)
    while (due := scheduler.next_due()) is not None and due <= 3.0:
        clock.advance_to(due)
        scheduler.fire_due()
    assert part.fired == [2.5]
    assert part.turns == 1
    assert ticks == [1.0, 2.0, 3.0]


async def test_a_part_scheduling_from_another_thread_wakes_the_loop_too() -> None:
    scheduler = Scheduler(time.monotonic)
    part = Part(time.monotonic, scheduler)
    scheduler.add("part", part)
    task = asyncio.create_task(scheduler.run())
    try:
        await asyncio.sleep(0.05)  # asleep for a minute
        await asyncio.to_thread(part.at, time.monotonic() + 0.02)  # a test's thread calling the engine
        await until(lambda: part.fired)
    finally:
        task.cancel()
