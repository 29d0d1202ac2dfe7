"""Opening a mock server's SQLite database (sqlite-utils) in the data folder."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils


def open_database(data_dir: Path, name: str, *, fresh: bool = False) -> sqlite_utils.Database:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{name}.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db
