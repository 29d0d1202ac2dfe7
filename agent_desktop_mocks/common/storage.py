"""Opening a mock server's SQLite database (sqlite-utils) in the data folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils


def open_database(data_dir: Path, name: str, *, fresh: bool = False) -> sqlite_utils.Database:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{name}.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    # Apps are built in one thread and served from uvicorn's event loop in another.
    db = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    # Deleted and overwritten rows are zeroed, not left in free pages: a card number redacted after it was
    # written (the customer finished it in a later message) is not readable in the file afterwards.
    db.execute("PRAGMA secure_delete=ON")
    return db


_MOST_PASSES = 8  # a checkpoint's PASSIVE passes; each copies what the writer added during the last
_FRAMES_LEFT_FOR_THE_RESTART = 256  # what its RESTART may copy with the writer held (about 1 MB)
_FRAMES_NOT_WORTH_A_PASS = 64  # a WAL this short (a few commits) is left for the next checkpoint
_RESTART_WAITS_AT_MOST_S = 0.05  # for the writer's transaction to end (then: no restart this time)


def checkpointer_of(path: str) -> sqlite3.Connection:
    """A connection of its own for `checkpoint_wal`, usable from a worker thread."""
    return sqlite3.connect(path, timeout=_RESTART_WAITS_AT_MOST_S, check_same_thread=False)


def checkpoint_wal(checkpointer: sqlite3.Connection) -> None:
    """Copy the WAL into the database file without making the writer wait for the copy, and have the WAL start
    again from its beginning (meant for a worker thread, on a connection of its own: `checkpointer_of`).

    The writer starts the WAL again only when a transaction begins with every frame copied. A PASSIVE pass
    copies the frames there were when it began; under steady writes those written while it ran were always
    left, the WAL never started again and grew without bound (bench_routing: 236 to 600 MB in 3,000 requests,
    each commit twice as slow once SQLite had to extend the file). So: PASSIVE passes, each copying what the
    writer added during the last, until one finds next to nothing new; then one RESTART, which waits for the
    writer's transaction to end, copies those few frames with the writer held (about a millisecond, once a
    checkpoint) and has the next write start the WAL at its beginning."""
    frames = -1
    for _ in range(_MOST_PASSES):
        busy, wal_frames, _copied = checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if busy or wal_frames < _FRAMES_NOT_WORTH_A_PASS:
            return
        if wal_frames - frames <= _FRAMES_LEFT_FOR_THE_RESTART:
            break
        frames = wal_frames
    checkpointer.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
