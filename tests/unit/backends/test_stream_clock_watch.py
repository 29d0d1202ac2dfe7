"""The event streams wake themselves when the wall clock moves against the monotonic one (a machine that slept, a
clock set forward or back), even on a link that brought no event yet and so hands its loop no heartbeat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from agent_desktop.domain.streams.stream_wake import Woken, next_item, watch_clocks


async def _silent(never: asyncio.Event) -> AsyncIterator[int]:
    await never.wait()  # a link that stays quiet: not even a heartbeat reaches the stream
    yield 1


async def test_a_wall_clock_jump_wakes_a_stream_that_heard_nothing_and_a_steady_clock_does_not() -> None:
    jumped = {"s": 0.0}
    waiting = asyncio.create_task(next_item(_silent(asyncio.Event())))
    await asyncio.sleep(0)  # it waits on its socket now
    watch = asyncio.create_task(watch_clocks(wall=lambda: time.time() + jumped["s"], every_s=0.01))
    try:
        await asyncio.sleep(0.1)
        assert not waiting.done(), "ten looks at steady clocks: the stream keeps waiting"
        jumped["s"] = 2 * 3600.0
        with pytest.raises(Woken):
            await asyncio.wait_for(waiting, timeout=5)
        jumped["s"] = 0.0  # and back two hours: a second jump wakes the next wait too
        again = asyncio.create_task(next_item(_silent(asyncio.Event())))
        with pytest.raises(Woken):
            await asyncio.wait_for(again, timeout=5)
    finally:
        waiting.cancel()
        await asyncio.wait_for(watch, timeout=5)  # no stream waits any more: the watch ends by itself
