"""The mock servers' heap settling (mock_backends/common/runner.py): every minute the young generations are
collected and what survived is frozen, out of the collector's full walks; every hour everything is unfrozen and
collected, so cycles frozen with the rest (a served app's closed connections) are freed, not kept for as long
as the server runs."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref

from mock_backends.common.runner import keep_heap_settled


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only a collection frees it


async def _settling_until(condition, sweep_every: int, timeout_s: float = 10.0) -> bool:
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


async def test_a_cycle_frozen_by_a_settle_is_freed_by_the_hourly_sweep():
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
