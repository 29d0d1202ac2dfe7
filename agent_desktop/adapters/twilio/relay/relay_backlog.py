"""A desk far behind its relay's stream reads the present once instead of every event it missed.

Each relayed event costs the Twilio desk REST reads (its reservation, its task, its conversation): after a burst
(ten thousand callbacks for one worker, or a long outage resumed by `Last-Event-ID`) it was minutes behind,
reading events whose state had long changed. `skipping_backlog` reads the stream ahead into a queue (the
parsing is cheap, the reads are not); when more than `most` relayed events wait, it drops them and says so with
one `Backlog`, after which the backend reads the present from the REST API (its resync) — as a reconnect does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Backlog:
    skipped: int  # relayed events dropped unread: the present is to be read instead


@dataclass(frozen=True)
class _Ended:
    error: BaseException | None


async def skipping_backlog(
    source: AsyncIterator[T], is_event: Callable[[T], bool], most: int
) -> AsyncGenerator[T | Backlog, None]:
    """`source`'s items in order; when more than `most` events (`is_event`) wait, those are dropped (the other
    items kept, in order) and a `Backlog` follows them."""
    queue: asyncio.Queue[T | _Ended] = asyncio.Queue()
    waiting = 0  # events in the queue

    async def pump() -> None:
        nonlocal waiting
        try:
            async for item in source:
                waiting += is_event(item)
                queue.put_nowait(item)
        except asyncio.CancelledError:
            raise
        except BaseException as error:  # noqa: BLE001 — handed to the reader, which raises it
            queue.put_nowait(_Ended(error))
        else:
            queue.put_nowait(_Ended(None))

    reader = asyncio.create_task(pump(), name="relay-stream")
    try:
        while True:
            item = await queue.get()
            if isinstance(item, _Ended):
                if item.error is not None:
                    raise item.error
                return
            if is_event(item):
                waiting -= 1
            if waiting < most:
                yield item
                continue
            behind = [item]
            while not queue.empty():
                behind.append(queue.get_nowait())  # type: ignore[arg-type]
            ended = [i for i in behind if isinstance(i, _Ended)]
            skipped = sum(1 for i in behind if not isinstance(i, _Ended) and is_event(i))
            waiting = 0
            for kept in behind:
                if not isinstance(kept, _Ended) and not is_event(kept):
                    yield kept
            yield Backlog(skipped)
            for end in ended:
                queue.put_nowait(end)
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
