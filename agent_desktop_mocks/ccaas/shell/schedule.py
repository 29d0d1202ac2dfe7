"""The CCaaS server's timed work on one scheduler (common/scheduler.py), no polling loop of its own.

Parts: the engine's protocol timers (offers, ACW, consult legs, callback dials), fired when the core's next
one falls due; housekeeping (`Engine.tick`: the statistics pushed every 2 s ÷ time_scale when they changed,
the minute samples, folding); the SQLite WAL checkpoint in a worker thread about once a second (the store
turned SQLite's automatic checkpoint off so that no request pays for it). The conversations' simulated
customers and the simulator add their own parts (conversations/wiring.py, app.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from agent_desktop_mocks.ccaas.shell.engine import STATS_EVERY_S, Engine
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.scheduler import Every, Scheduler
from agent_desktop_mocks.common.wal_checkpoints import CHECKPOINT_EVERY_S

log = logging.getLogger(__name__)

# Housekeeping's pace: the statistics' (2 s ÷ time_scale), within these bounds (the old clock loop ticked at 0.2 s).
HOUSEKEEPING_S = (0.2, 1.0)


class EngineTimers:
    """The engine's protocol timers as a scheduled part: due when the core's next timer is."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def next_due(self) -> float | None:
        return self._engine.read.next_due()

    def fire_due(self) -> None:
        self._engine.tick()


def engine_schedule(engine: Engine, clock: Clock) -> Scheduler:
    """A scheduler with the engine's timers; it wakes when a committed change may have set a sooner one."""
    scheduler = Scheduler(clock.monotonic)
    scheduler.add("engine timers", EngineTimers(engine))
    engine.listen(lambda events: scheduler.wake())
    return scheduler


def add_housekeeping(scheduler: Scheduler, engine: Engine, clock: Clock) -> Callable[[], Awaitable[None]]:
    """The server's periodic work (not a test's stepped time: it ticks the engine itself). Returns what the
    server awaits at shutdown, after the scheduler stopped and before it closes the database: a checkpoint
    still running in its thread while the database closed crashed the process (a segfault in a test run)."""
    low, high = HOUSEKEEPING_S
    pace = min(high, max(low, STATS_EVERY_S / engine.time_scale))
    scheduler.add("housekeeping", Every(pace, engine.tick, clock.monotonic))
    checkpointing: list[asyncio.Task[None]] = []

    def checkpoint() -> None:
        if checkpointing and not checkpointing[0].done():
            return  # the last one is still at it: the WAL only grows meanwhile
        checkpointing[:] = [asyncio.get_running_loop().create_task(_checkpoint(engine))]

    scheduler.add("WAL checkpoint", Every(CHECKPOINT_EVERY_S, checkpoint, clock.monotonic))

    async def finish() -> None:
        for task in checkpointing:
            await task  # _checkpoint logs its own failures
        engine.checkpoint(close=True)

    return finish


async def _checkpoint(engine: Engine) -> None:
    try:
        await asyncio.to_thread(engine.checkpoint)
    except Exception:  # a busy or failing disk: the next one tries again, the WAL only grows meanwhile
        log.exception("WAL checkpoint failed")
