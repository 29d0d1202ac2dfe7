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
