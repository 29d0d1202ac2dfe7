"""Waking the event streams: a desk that ran again after a pause (SIGCONT) tells every stream of the process
waiting on its socket to reconnect and resync now (agent_desktop/adapters/wire/stream.py), rather than when its next event or
heartbeat comes, which a socket that died meanwhile may never bring. No HTTP here, so the UI may call it.

The streams wake themselves when the wall clock moves against the monotonic one (`watch_clocks`): a machine that
slept (Linux's monotonic clock stands still meanwhile) or a clock set forward or back. A stream also notices a pause
by the silence before its next item, but a link that brought no event with an id yet hands it no heartbeat
(httpx-sse dispatches the blank line after one only then), so a quiet desk would not."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

T = TypeVar("T")

# The streams' waits for their next event now, each under a timeout `resync_streams_now` ends at once.
_WAITING: set[asyncio.Timeout] = set()
# The running watch of the clocks, one per event loop while a stream waits.
_WATCHES: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}
CLOCK_JUMP_S = 30.0  # more than an NTP slew or a busy second; less than the streams' heartbeat timeouts
WATCH_EVERY_S = 1.0


class Woken(Exception):
    """`resync_streams_now` ended the wait for the next event."""


def resync_streams_now() -> int:
    """Each stream waiting on its socket reconnects and resyncs at once. Only the wait for the next event is ended,
    never the work on one. How many streams were told."""
    loop = asyncio.get_running_loop()
    for waiting in list(_WAITING):
        waiting.reschedule(loop.time())
    return len(_WAITING)


async def next_item(items: AsyncIterator[T]) -> T:
    """The next item; `Woken` if `resync_streams_now` was called meanwhile. (Only this wait is under the timeout:
    a cancellation while the stream's consumer works on an item would land in the consumer.)"""
    waiting = asyncio.timeout(None)
    _watch_while_waiting()
    try:
        async with waiting:
            _WAITING.add(waiting)
            return await anext(items)
    except TimeoutError:
        if waiting.expired():
            raise Woken from None
        raise
    finally:
        _WAITING.discard(waiting)


def _watch_while_waiting() -> None:
    loop = asyncio.get_running_loop()
    watch = _WATCHES.get(loop)
    if watch is None or watch.done():
        _WATCHES[loop] = loop.create_task(watch_clocks(), name="the streams' clock watch")
        for other in [other for other in _WATCHES if other.is_closed()]:
            del _WATCHES[other]


async def watch_clocks(
    monotonic: Callable[[], float] = time.monotonic,
    wall: Callable[[], float] = time.time,
    every_s: float = WATCH_EVERY_S,
    jump_s: float = CLOCK_JUMP_S,
) -> None:
    """While a stream waits: when the wall clock moved more than `jump_s` away from the monotonic one since the last
    look, every waiting stream reconnects and resyncs now, as after SIGCONT. Ends once no stream waits."""
    last = (monotonic(), wall())
    while True:
        await asyncio.sleep(every_s)
        now = (monotonic(), wall())
        drift = (now[1] - last[1]) - (now[0] - last[0])
        last = now
        if abs(drift) > jump_s:
            resync_streams_now()
        if not _WAITING:
            return
