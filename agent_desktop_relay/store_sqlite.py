"""The relay's state in an embedded SQLite database (WAL): one relay's default store (agent_desktop_relay/store.py).

A callback is kept in one transaction with the routing map's change and committed (synchronous=FULL: on disk,
not only in the OS's cache) before the relay answers Twilio. Event ids come from an AUTOINCREMENT key, which
SQLite never hands out twice nor lower, even after deletions; a new database starts its ids at the clock's
microseconds, so a desk resuming with an id from an earlier database (deleted, restored) is not ahead of it.

The file holds what desks were sent (masked transcription lines, who holds which task): it is created 0600, and
tightened to 0600 if it (or its `-wal`, `-shm`, `-journal`) was left wider; SQLite creates its side files with the
main file's mode. A missing folder is created 0700; a folder that exists is the operator's, left as it is.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from agent_desktop_relay.routing import TaskRoute, call_readers, kept_as, route
from agent_desktop_relay.store import (
    LINE_WINDOW_S,
    LINES_KEEP,
    LINES_KEPT_S,
    RECEIVED_KEY,
    Kept,
    Wakeups,
    call_of_line,
)
from agent_desktop_relay.transcription import Said

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, worker TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_worker ON events (worker, id);
CREATE TABLE IF NOT EXISTS tasks (sid TEXT PRIMARY KEY, owner TEXT, offered TEXT NOT NULL, touched_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS conversation_tasks (
    conversation TEXT NOT NULL, task TEXT NOT NULL, seq INTEGER NOT NULL, touched_ms INTEGER NOT NULL,
    PRIMARY KEY (conversation, task)
);
CREATE TABLE IF NOT EXISTS said (
    call TEXT NOT NULL, role TEXT NOT NULL, data TEXT NOT NULL, touched_ms INTEGER NOT NULL, PRIMARY KEY (call, role)
);
CREATE TABLE IF NOT EXISTS taken (key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS taken_by_age ON taken (at_ms);
CREATE TABLE IF NOT EXISTS lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT, call TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_by_call ON lines (call, id);
CREATE TABLE IF NOT EXISTS lines_taken (key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL);
"""
PRUNE_EVERY = 500  # callbacks between two sweeps of the replay window and the old routes
FILE_MODE, FOLDER_MODE = 0o600, 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")
_OPEN_FLAGS = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def private_file(path: Path) -> None:
    """The database file made this user's alone before SQLite opens it (module docstring): created 0600 (missing
    folders 0700), or tightened to 0600 with the side files an earlier run left. Through a descriptor opened without
    following a link, so a link planted in its place is refused (ELOOP), not chmodded."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    for name, flags in ((path, os.O_CREAT), *((path.with_name(path.name + side), 0) for side in SIDE_FILES)):
        try:
            descriptor = os.open(name, _OPEN_FLAGS | flags, FILE_MODE)
        except FileNotFoundError:
            continue
        try:
            os.fchmod(descriptor, FILE_MODE)
        finally:
            os.close(descriptor)


class _Table:
    """The routing rules' view of the map, inside the store's open transaction."""

    def __init__(self, db: sqlite3.Connection, now_ms: int) -> None:
        self.db, self.now_ms = db, now_ms

    def task(self, sid: str) -> TaskRoute | None:
        row = self.db.execute("SELECT owner, offered FROM tasks WHERE sid = ?", (sid,)).fetchone()
        if row is None:
            return None
        return TaskRoute(row[0], frozenset(w for w in row[1].split(",") if w))

    def put_task(self, sid: str, route: TaskRoute) -> None:
        self.db.execute(
            "INSERT INTO tasks (sid, owner, offered, touched_ms) VALUES (?, ?, ?, ?) ON CONFLICT (sid) DO UPDATE "
            "SET owner = excluded.owner, offered = excluded.offered, touched_ms = excluded.touched_ms",
            (sid, route.owner, ",".join(sorted(route.offered)), self.now_ms),
        )

    def link_conversation(self, conversation: str, task: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO conversation_tasks (conversation, task, seq, touched_ms) VALUES (?, ?, "
            "(SELECT COALESCE(MAX(seq), 0) + 1 FROM conversation_tasks WHERE conversation = ?), ?)",
            (conversation, task, conversation, self.now_ms),
        )

    def conversation_tasks(self, conversation: str) -> list[str]:
        rows = self.db.execute(
            "SELECT task FROM conversation_tasks WHERE conversation = ? ORDER BY seq DESC LIMIT 8", (conversation,)
        )
        return [row[0] for row in rows]

    def said(self, call: str, role: str) -> Said | None:
        row = self.db.execute("SELECT data FROM said WHERE call = ? AND role = ?", (call, role)).fetchone()
        return Said.decoded(row[0] if row else None)

    def put_said(self, call: str, role: str, said: Said) -> None:
        self.db.execute(
            "INSERT INTO said (call, role, data, touched_ms) VALUES (?, ?, ?, ?) ON CONFLICT (call, role) DO UPDATE "
            "SET data = excluded.data, touched_ms = excluded.touched_ms",
            (call, role, said.encoded(), self.now_ms),
        )


class SqliteStore:
    """`keep`: events kept per worker; `replay_window_s`: how long a request's key is remembered; `route_ttl_s`:
    a task (and its conversation) not heard of for this long is forgotten. `clock`: seconds since the epoch."""

    def __init__(
        self,
        path: Path | str,
        *,
        keep: int = 1000,
        replay_window_s: float = 6 * 3600,
        route_ttl_s: float = 7 * 86400,
        clock: Callable[[], float],
        synchronous: str = "FULL",
    ) -> None:
        self._keep, self._window_ms, self._ttl_ms, self._clock = (
            keep,
            int(replay_window_s * 1000),
            int(route_ttl_s * 1000),
            clock,
        )
        self._lock = threading.Lock()
        if str(path) != ":memory:":
            private_file(Path(path))
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={'NORMAL' if synchronous.upper() == 'NORMAL' else 'FULL'}")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            for table in ("events", "lines"):
                if self._db.execute("SELECT 1 FROM sqlite_sequence WHERE name = ?", (table,)).fetchone() is None:
                    self._db.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, int(clock() * 1_000_000))
                    )
            self._db.execute("COMMIT")
        self._since_prune = 0
        self._wakeups = Wakeups()

    # --- writing ---------------------------------------------------------------------------------------------

    def _record(self, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        if (call := call_of_line(params)) is not None:
            return self._record_line(call, key, params, received_ms)
        event_type = params.get("EventType", "unknown")
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                seen = db.execute("SELECT at_ms FROM taken WHERE key = ?", (key,)).fetchone()
                if seen is not None and received_ms - seen[0] < self._window_ms:
                    db.execute("ROLLBACK")
                    return None
                db.execute("INSERT OR REPLACE INTO taken (key, at_ms) VALUES (?, ?)", (key, received_ms))
                kept = []
                table = _Table(db, received_ms)
                workers = route(params, table)
                data = json.dumps({**kept_as(params, table), RECEIVED_KEY: str(received_ms)})
                for worker in workers:
                    cursor = db.execute(
                        "INSERT INTO events (worker, type, data) VALUES (?, ?, ?)", (worker, event_type, data)
                    )
                    kept.append(Kept(int(cursor.lastrowid or 0), worker, event_type, data))
                    db.execute(
                        "DELETE FROM events WHERE worker = ? AND id <= "
                        "(SELECT id FROM events WHERE worker = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                        (worker, worker, self._keep),
                    )
                self._since_prune += 1
                if self._since_prune >= PRUNE_EVERY:
                    self._since_prune = 0
                    db.execute("DELETE FROM taken WHERE at_ms < ?", (received_ms - self._window_ms,))
                    db.execute("DELETE FROM tasks WHERE touched_ms < ?", (received_ms - self._ttl_ms,))
                    db.execute("DELETE FROM conversation_tasks WHERE touched_ms < ?", (received_ms - self._ttl_ms,))
                    db.execute("DELETE FROM said WHERE touched_ms < ?", (received_ms - self._ttl_ms,))
                    db.execute("DELETE FROM lines_taken WHERE at_ms < ?", (received_ms - LINE_WINDOW_S * 1000,))
                    db.execute("DELETE FROM lines WHERE at_ms < ?", (received_ms - LINES_KEPT_S * 1000,))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return kept

    def _record_line(self, call: str, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        """A transcription line on its call's stream, with its track's masking (`kept_as`) in the same transaction;
        its request remembered for `LINE_WINDOW_S` (a retry within it is not kept again)."""
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                seen = db.execute("SELECT at_ms FROM lines_taken WHERE key = ?", (key,)).fetchone()
                if seen is not None and received_ms - seen[0] < LINE_WINDOW_S * 1000:
                    db.execute("ROLLBACK")
                    return None
                db.execute("INSERT OR REPLACE INTO lines_taken (key, at_ms) VALUES (?, ?)", (key, received_ms))
                data = json.dumps({**kept_as(params, _Table(db, received_ms)), RECEIVED_KEY: str(received_ms)})
                event_type = params["EventType"]
                cursor = db.execute(
                    "INSERT INTO lines (call, type, data, at_ms) VALUES (?, ?, ?, ?)",
                    (call, event_type, data, received_ms),
                )
                db.execute(
                    "DELETE FROM lines WHERE call = ? AND id <= "
                    "(SELECT id FROM lines WHERE call = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (call, call, LINES_KEEP),
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return [Kept(int(cursor.lastrowid or 0), call, event_type, data)]

    async def record(self, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        kept = await asyncio.to_thread(self._record, key, params, received_ms)
        self._wakeups.wake(event.worker for event in kept or ())
        return kept

    # --- reading ---------------------------------------------------------------------------------------------

    def _after(self, worker: str, last_id: int | None, limit: int) -> list[Kept]:
        table, column = _log_of(worker)
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, type, data FROM {table} WHERE {column} = ? AND id > ? ORDER BY id LIMIT ?",
                (worker, -1 if last_id is None else last_id, limit),
            ).fetchall()
        return [Kept(row[0], worker, row[1], row[2]) for row in rows]

    async def after(self, worker: str, last_id: int | None, limit: int = 500) -> list[Kept]:
        return await asyncio.to_thread(self._after, worker, last_id, limit)

    def kept(self, worker: str) -> list[Kept]:
        """Every event kept for the worker, read from any thread (an operator's tool, a test)."""
        return self._after(worker, None, self._keep)

    def _newest(self, worker: str) -> int | None:
        table, column = _log_of(worker)
        with self._lock:
            row = self._db.execute(f"SELECT MAX(id) FROM {table} WHERE {column} = ?", (worker,)).fetchone()
        newest: int | None = row[0]  # sqlite rows are Any; None when the worker has none
        return newest

    async def newest(self, worker: str) -> int | None:
        return await asyncio.to_thread(self._newest, worker)

    async def wait(self, worker: str, after: int | None, timeout_s: float) -> bool:
        return await self._wakeups.wait(worker, lambda: self.newest(worker), after, timeout_s)

    def _readers(self, call: str) -> set[str]:
        with self._lock:
            return call_readers(call, _Table(self._db, 0))

    async def readers(self, call: str) -> set[str]:
        return await asyncio.to_thread(self._readers, call)

    def _stats(self) -> dict[str, int]:
        with self._lock:
            db = self._db
            return {
                "events": db.execute("SELECT COUNT(*) FROM events").fetchone()[0],
                "workers": db.execute("SELECT COUNT(DISTINCT worker) FROM events").fetchone()[0],
                "tasks": db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0],
                "newest_id": db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()[0],
                "call_lines": db.execute("SELECT COUNT(*) FROM lines").fetchone()[0],
            }

    async def stats(self) -> dict[str, int]:
        return await asyncio.to_thread(self._stats)

    async def aclose(self) -> None:
        with self._lock:
            self._db.close()


def _log_of(stream: str) -> tuple[str, str]:
    """The table and column a stream's events are in: a call's (`CA…`) lines, or a worker's events."""
    return ("lines", "call") if stream.startswith("CA") else ("events", "worker")
