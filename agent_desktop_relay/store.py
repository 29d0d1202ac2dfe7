"""What the relay keeps, behind one small interface: the routing map (agent_desktop_relay/routing.py), each worker's
event log with ids that only grow, and the window of requests already taken (replays dropped).

Two implementations: an embedded SQLite database, one relay's default (agent_desktop_relay/store_sqlite.py), and Redis
shared by several relays behind one URL (agent_desktop_relay/store_redis.py: a stream per worker, the map in Redis).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

# Added by the relay to each event's JSON: when it kept the callback (its own clock, milliseconds since the epoch),
# so the desk can say how late an event reached it (the ids are a sequence, not a time).
RECEIVED_KEY = "RelayReceivedMs"


@dataclass(frozen=True)
class Kept:
    id: int  # grows with every event kept, whatever the clock does
    worker: str
    event_type: str
    data: str  # the callback's parameters as a JSON object, with RECEIVED_KEY


class RelayStore(Protocol):
    async def record(self, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        """Keep the callback, durably, for each worker it routes to (committed before this returns), in one
        transaction with the routing map's change. None: a request with this `key` was taken within the
        replay window (nothing kept again). An empty list: nobody's desk follows it."""
        ...

    async def after(self, worker: str, last_id: int | None, limit: int = 500) -> list[Kept]:
        """The worker's events after `last_id` (None: all kept), oldest first, at most `limit`."""
        ...

    async def newest(self, worker: str) -> int | None: ...

    async def wait(self, worker: str, after: int | None, timeout_s: float) -> None:
        """Until the worker has an event newer than `after`, or `timeout_s` passes."""
        ...

    async def stats(self) -> dict[str, int]: ...

    async def aclose(self) -> None: ...


async def wait_for_newer(
    arrived: asyncio.Event, newest: Awaitable[int | None], after: int | None, timeout_s: float
) -> None:
    """Either store's wait: at once if the worker's newest event is past `after`, else until `arrived` is set (an
    event kept) or `timeout_s` passes. `arrived` is taken before `newest` is read, so an event kept in between
    still sets it."""
    found = await newest
    if found is not None and (after is None or found > after):
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(arrived.wait(), timeout_s)
