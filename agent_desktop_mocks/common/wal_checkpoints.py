"""A server's SQLite WAL checkpointed in a worker thread, not inside whichever request's commit crosses the mark.

SQLite's automatic checkpoint (every 1,000 WAL pages) copies and syncs the WAL inside the commit that crosses the
mark: it blocks the event loop, and becomes the p99 of whatever that request was (the CCaaS's routing request,
an event published to 200 streams, bench_routing). The CCaaS runs its checkpoint on its own scheduler
(ccaas/schedule.py); a server without one (the presence mock, the fan-out benchmark's server) uses this.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlite_utils

from agent_desktop_mocks.common.storage import checkpoint_wal, checkpointer_of

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 1.0  # the WAL stays small, each checkpoint short


@asynccontextmanager
async def checkpoints_in_a_worker(
    db: sqlite_utils.Database, every_s: float = CHECKPOINT_EVERY_S
) -> AsyncIterator[None]:
    """While the block runs (a server's lifespan): SQLite's automatic checkpoint off on `db`'s connection, and the
    WAL checkpointed every `every_s` in a worker thread on a connection of its own. On the way out, a checkpoint
    still running is waited for before its connection closes (closing under it crashed a test process once)."""
    path = db.conn.execute("pragma database_list").fetchone()[2]
    if not path:  # an in-memory database has no WAL
        yield
        return
    db.conn.execute("PRAGMA wal_autocheckpoint=0")
    checkpointer = checkpointer_of(path)
    stop = asyncio.Event()

    async def every() -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), every_s)
            except TimeoutError:
                try:
                    await asyncio.to_thread(checkpoint_wal, checkpointer)
                except Exception:  # a busy or failing disk: the next one tries again, the WAL only grows meanwhile
                    log.exception("WAL checkpoint failed")

    task = asyncio.create_task(every(), name="wal-checkpoints")
    try:
        yield
    finally:
        stop.set()
        await task  # not cancelled: a checkpoint in its thread ends before its connection closes
        checkpointer.close()
