"""The mock servers' heap settling (agent_desktop_mocks/common/heap.py): every minute the young generations are
collected and what survived is frozen, out of the collector's full walks; every hour everything is unfrozen and
collected, so cycles frozen with the rest (a served app's closed connections) are freed, not kept for as long
as the server runs."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref
from collections.abc import Callable
from datetime import UTC, datetime

from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig, TeamSpec
from agent_desktop_mocks.ccaas.simulator.traffic import Simulator
from agent_desktop_mocks.ccaas.tables import floor_plan
from agent_desktop_mocks.common.heap import keep_heap_settled

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
THRESHOLDS = (700, 10, 10)  # Python's own, which the servers keep (the test session sets others)


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only a collection frees it


async def _settling_until(condition: Callable[[], bool], sweep_every: int, timeout_s: float = 10.0) -> bool:
    """Settle every 10 ms until `condition()` holds (or `timeout_s`): whether it did."""
    task = asyncio.create_task(keep_heap_settled(every_s=0.01, sweep_every=sweep_every))
    try:
        for _ in range(int(timeout_s / 0.005)):
            if condition():
                return True
            await asyncio.sleep(0.005)
        return False
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_cycle_frozen_by_a_settle_is_freed_by_the_hourly_sweep() -> None:
    try:
        node = _Node()
        gone = weakref.ref(node)
        frozen_before = gc.get_freeze_count()
        assert await _settling_until(lambda: gc.get_freeze_count() > frozen_before, sweep_every=1_000_000)
        del node
        gc.collect()
        assert gone() is not None, "frozen by a minute's settle: the collector no longer looks at it"
        assert await _settling_until(lambda: gone() is None, sweep_every=2), "freed by the hourly sweep"
    finally:
        gc.freeze()  # the test session keeps what it imported frozen (tests/conftest.py)


def test_a_pass_over_the_queue_figures_is_not_cut_into_by_the_middle_generations_collection() -> None:
    """The young generation is collected as a pass begins (heap.collect_young), so the pass, making few objects,
    sets off no collection; before, one the floor had made due came in its middle, now and then the middle
    generation's (2.7–4.5 ms at 1,000 agents: the figures' p99)."""
    size = floor_plan.FloorSize(agents=20, queues=5)
    queues = floor_plan.queues(size.queues)
    team = floor_plan.simulated_agents(size, queues, 7, START)
    config = SimulatorConfig(backlog=0, team=[TeamSpec(count=1, skills=dict(a.proficiency)) for a in team])
    sim = Simulator.virtual(config, seed=7, queues=queues, start=START)
    sim.run_for(120)
    started: list[int] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        reads: tuple[Callable[[], object], ...] = (
            lambda: sim.engine.queue_stats("today"),
            lambda: sim.engine.queue_stats("30m"),
        )
        for read in reads:
            gc.collect(1)
            for _ in range(THRESHOLDS[1] + 1):
                gc.collect(0)  # the middle generation due at the next collection the collector sets off itself
            made: list[list[object]] = []
            while gc.get_count()[0] < THRESHOLDS[0] - 3:  # the young generation all but due
                made.append([])
            gc.callbacks.append(on_gc)
            try:
                read()
            finally:
                gc.callbacks.remove(on_gc)
            del made
            assert started, f"collections started during the read: {started}"
            assert set(started) == {0}, f"collections started during the read: {started}"
            started.clear()
    finally:
        gc.set_threshold(*thresholds)
