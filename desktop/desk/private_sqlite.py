"""A small SQLite file only this user can read, beside the outbox, shared by the desk's stores (wrap-up drafts,
conversation drafts and notes): opened the same way and used from workers under one lock.

These stores are rewritten as the agent types, so an older version of a row is text the agent has since
changed or deleted (a card number typed, then erased). They keep none: a rollback journal in TRUNCATE mode
instead of WAL (a `-wal` file keeps every version of a page written since the last checkpoint; a rollback
journal holds a page's old content only while its transaction runs, and TRUNCATE empties it at each
commit without creating and deleting a file per keystroke), and `secure_delete` so space a replaced or
deleted row leaves in the database file is zeroed. The file and its `-journal` are 0600 in a 0700 folder
(desktop/private_files.py). Text is PCI-masked before it is written, too.
"""

from __future__ import annotations

import threading
from pathlib import Path

from desktop.private_files import connect_private_sqlite, private_folder


class PrivateSqlite:
    def __init__(self, path: Path, schema: str) -> None:
        private_folder(path.parent)
        self.path = path
        self._lock = threading.Lock()
        self._db = connect_private_sqlite(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA secure_delete=ON")
        # Leaving WAL (a store written by an older desktop) checkpoints and deletes its -wal file.
        self._db.execute("PRAGMA journal_mode=TRUNCATE")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(schema)

    def close(self) -> None:
        with self._lock:
            self._db.close()
