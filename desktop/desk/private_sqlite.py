"""A small SQLite file only this user can read, beside the outbox, shared by the desk's stores (wrap-up drafts,
conversation drafts and notes): opened the same way and used from workers under one lock."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class PrivateSqlite:
    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(schema)
        path.chmod(0o600)

    def close(self) -> None:
        with self._lock:
            self._db.close()
