"""Waking the event streams: a desk that ran again after a pause (SIGCONT) tells every stream of the process
waiting on its socket to reconnect and resync now (agent_desktop/adapters/wire/stream.py), rather than when its next event or
heartbeat comes, which a socket that died meanwhile may never bring. No HTTP here, so the UI may call it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TypeVar

T = TypeVar("T")

# The streams' waits for their next event now, each under a timeout `resync_streams_now` ends at once.
_WAITING: set[asyncio.Timeout] = set()


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
