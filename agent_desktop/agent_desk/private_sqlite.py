"""A small SQLite file only this user can read, beside the outbox, shared by the desk's stores (wrap-up drafts,
conversation drafts and notes): opened the same way and used from workers under one lock.

These stores are rewritten as the agent types, so an older version of a row is text the agent has since
changed or deleted (a card number typed, then erased). They keep none: a rollback journal in TRUNCATE mode
instead of WAL (a `-wal` file keeps every version of a page written since the last checkpoint; a rollback
journal holds a page's old content only while its transaction runs, and TRUNCATE empties it at each
commit without creating and deleting a file per keystroke), and `secure_delete` so space a replaced or
deleted row leaves in the database file is zeroed. The file and its `-journal` are 0600 in a 0700 folder
(agent_desktop/local/paths.py). Text is PCI-masked before it is written, too.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from agent_desktop.local.paths import LocalPathError, connect_private_sqlite, move_aside, private_folder

_log = logging.getLogger(__name__)


class PrivateSqlite:
    def __init__(self, path: Path, schema: str) -> None:
        private_folder(path.parent)
        self.path = path
        self._lock = threading.Lock()
        self._db = connect_private_sqlite(path, check_same_thread=False, isolation_level=None)
        try:
            # A damaged file is found before anything is written into it (the schema adds tables): it is then set
            # aside whole, as the agent left it (`open_or_set_aside`).
            if (found := self._db.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed ({found})")
            self._db.execute("PRAGMA secure_delete=ON")
            # Leaving WAL (a store written by an older desktop) checkpoints and deletes its -wal file.
            self._db.execute("PRAGMA journal_mode=TRUNCATE")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(schema)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()


Store = TypeVar("Store", bound=PrivateSqlite)


class SetAside:
    """A store the desk could not read, moved out of the way: what it was, why, and where it went."""

    def __init__(self, what: str, why: str, moved_to: Path) -> None:
        self.what, self.why, self.moved_to = what, why, moved_to

    def __str__(self) -> str:
        return f"The {self.what} could not be read ({self.why}); the file was moved to {self.moved_to}"


def open_or_set_aside(
    make: Callable[[Path], Store], path: Path, load: Callable[[Store], Any], what: str
) -> tuple[Store, Any, SetAside | None]:
    """The store at `path` and what `load` read from it. A file SQLite cannot read (corrupt, not a database) or
    the local paths' rule refuses (a link, a FIFO) is renamed aside, kept for whoever wants to look, and an
    empty store made in its place: the desk starts without those drafts rather than not at all, and says so."""
    try:
        store = make(path)
    except (sqlite3.DatabaseError, LocalPathError) as error:
        problem = error
    else:
        try:
            return store, load(store), None
        except sqlite3.DatabaseError as error:  # a damaged page shows only when it is read
            store.close()
            problem = error
    why = problem.reason if isinstance(problem, LocalPathError) else str(problem)
    moved_to = move_aside(path)
    _log.warning("%s unreadable (%s): moved to %s", what, why, moved_to)
    store = make(path)
    return store, load(store), SetAside(what, why, moved_to)
