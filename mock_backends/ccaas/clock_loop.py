"""The CCaaS server's clock loop: fires the engine's timers (offers, ACW, consult legs) and its statistics."""

from __future__ import annotations

import asyncio
import logging

from mock_backends.ccaas.engine import Engine

log = logging.getLogger(__name__)

TICK_S = 0.2


async def run_clock(engine: Engine, every_s: float = TICK_S) -> None:
    while True:
        await asyncio.sleep(every_s)
        try:
            engine.tick()
        except Exception:  # a bug here (or a failing disk) must not stop the server
            log.exception("tick failed")
