"""The CCaaS server's clock loop: fires the engine's timers (offers, ACW, consult legs) and its statistics,
and checkpoints the SQLite WAL in a worker thread (the store turned SQLite's automatic checkpoint off so that
no request pays for it)."""

from __future__ import annotations

import asyncio
import logging

from mock_backends.ccaas.engine import Engine

log = logging.getLogger(__name__)

TICK_S = 0.2
CHECKPOINT_EVERY_TICKS = 5  # about once a second: the WAL stays small, each checkpoint short


async def run_clock(engine: Engine, every_s: float = TICK_S) -> None:
    ticks = 0
    checkpointing: asyncio.Task | None = None
    while True:
        await asyncio.sleep(every_s)
        try:
            engine.tick()
        except Exception:  # a bug here (or a failing disk) must not stop the server
            log.exception("tick failed")
        ticks += 1
        if ticks % CHECKPOINT_EVERY_TICKS == 0 and (checkpointing is None or checkpointing.done()):
            checkpointing = asyncio.create_task(_checkpoint(engine))


async def _checkpoint(engine: Engine) -> None:
    try:
        await asyncio.to_thread(engine.checkpoint)
    except Exception:  # a busy or failing disk: the next one tries again, the WAL only grows meanwhile
        log.exception("WAL checkpoint failed")
