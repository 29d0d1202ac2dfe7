"""What the relay keeps, behind one small interface: the routing map (agent_desktop_relay/routing.py), each worker's
event log with ids that only grow, each transcribed call's log of its lines (its own stream, named by its `CA…`
SID: kept briefly, its requests remembered for minutes, not in the six-hour replay window), and the window of
requests already taken (replays dropped).

Two implementations: an embedded SQLite database, one relay's default (agent_desktop_relay/store_sqlite.py), and Redis
shared by several relays behind one URL (agent_desktop_relay/store_redis.py: a stream per worker, the map in Redis).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

# Added by the relay to each event's JSON: when it kept the callback (its own clock, milliseconds since the epoch),
# so the desk can say how late an event reached it (the ids are a sequence, not a time).
RECEIVED_KEY = "RelayReceivedMs"

# A transcription line (agent_desktop_relay/transcription.py) goes on its call's stream, not its workers': its request
# is remembered this long (Twilio retries a callback within seconds; the desk drops a line's SequenceId it has read),
LINE_WINDOW_S = 600
# and the call's stream is kept this long after its last line, at most this many lines (a desk reads it live).
LINES_KEPT_S = 600
LINES_KEEP = 2000
TRANSCRIPTION = "transcription"  # the event type a line is kept under (transcription.py)


def call_of_line(params: dict[str, str]) -> str | None:
    """The call whose stream a callback goes on, for a transcription line (None: anything else, which goes on its
    workers' streams)."""
    call = params.get("CallSid", "")
    return call if params.get("EventType") == TRANSCRIPTION and call.startswith("CA") else None


@dataclass(frozen=True)
class Kept:
    id: int  # grows with every event kept, whatever the clock does
    worker: str  # the stream it is on: a worker's (WK…), or a call's (CA…) for a transcription line
    event_type: str
    data: str  # the callback's parameters as a JSON object, with RECEIVED_KEY


class RelayStore(Protocol):
    async def record(self, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        """Keep the callback, durably, for each worker it routes to (committed before this returns), in one
        transaction with the routing map's change. None: a request with this `key` was taken within the
        replay window (nothing kept again). An empty list: nobody's desk follows it. A transcription line is kept
        on its call's stream alone (`call_of_line`), whoever holds the call."""
        ...

    async def readers(self, call: str) -> set[str]:
        """The workers a call's lines are for: those holding or offered any of the tasks that named the call."""
        ...

    async def after(self, worker: str, last_id: int | None, limit: int = 500) -> list[Kept]:
        """The worker's (or a call's: `CA…`) events after `last_id` (None: all), oldest first, at most `limit`."""
        ...

    async def newest(self, worker: str) -> int | None: ...

    async def wait(self, worker: str, after: int | None, timeout_s: float) -> bool:
        """Until the worker has an event newer than `after`, or `timeout_s` passes. False: nothing was kept for the
        worker meanwhile (no read needed); True: something may have been (read it)."""
        ...

    async def stats(self) -> dict[str, int]: ...

    async def aclose(self) -> None: ...


class Wakeups:
    """Each worker's wake-up for the streams waiting on it: an event set, and dropped, when something is kept for the
    worker (`wake`). A wait looks at the worker's newest event once the wake-up is armed, so nothing kept before it is
    missed; while the wake-up stays unset nothing was kept since, so the look stands for the next waits (a desk's
    heartbeat, another desk of the worker) and they read nothing: 1,200 desks' heartbeats were most of a relay's
    store traffic on a quiet floor."""

    def __init__(self) -> None:
        self._armed: dict[str, asyncio.Event] = {}
        self._looked: dict[str, tuple[asyncio.Event, int | None]] = {}  # the newest event seen while it was armed

    def wake(self, workers: Iterable[str] | None = None) -> None:
        """Every wait on these workers (None: on every worker) ends: something was kept for them, or may have been."""
        for worker in list(self._armed) if workers is None else workers:
            arrived = self._armed.pop(worker, None)
            self._looked.pop(worker, None)
            if arrived is not None:
                arrived.set()

    async def wait(
        self, worker: str, newest: Callable[[], Awaitable[int | None]], after: int | None, timeout_s: float
    ) -> bool:
        """At once (True) if the worker's newest event is past `after`, else until it is woken (True) or `timeout_s`
        passes (False: nothing was kept for it meanwhile)."""
        arrived = self._armed.get(worker)
        if arrived is None:
            arrived = self._armed[worker] = asyncio.Event()
        looked = self._looked.get(worker)
        if looked is not None and looked[0] is arrived:
            found = looked[1]
        else:
            found = await newest()  # after arming: whatever is kept from here on sets `arrived`
            if arrived.is_set():
                return True
            self._looked[worker] = (arrived, found)
        if found is not None and (after is None or found > after):
            return True
        try:
            async with asyncio.timeout(timeout_s):  # (not asyncio.wait_for: a task for every wait)
                await arrived.wait()
        except TimeoutError:
            return False
        return True
