"""The real outbox on a disk a test fills and empties: while `full`, every write to its file fails as SQLite's does
on a full disk (SQLITE_FULL, "database or disk is full"); reads go on, as they do on a full disk."""

from __future__ import annotations

import sqlite3
from typing import Any

from agent_desktop.outbox.store import Outbox, OutboxEntry


def disk_full() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL
    return error


class FullDiskOutbox(Outbox):
    full = False

    def _written(self) -> None:
        if self.full:
            raise disk_full()

    def add(self, *args: Any, **kwargs: Any) -> OutboxEntry:
        self._written()
        return super().add(*args, **kwargs)

    def update_payload(self, *args: Any) -> None:
        self._written()
        super().update_payload(*args)

    def mark_sent(self, *args: Any) -> None:
        self._written()
        super().mark_sent(*args)

    def mark_retry(self, *args: Any) -> None:
        self._written()
        super().mark_retry(*args)

    def mark_failed(self, *args: Any) -> None:
        self._written()
        super().mark_failed(*args)

    def release(self, *args: Any) -> None:
        self._written()
        super().release(*args)

    def settle_links(self, *args: Any) -> None:
        self._written()
        super().settle_links(*args)

    def discard(self, *args: Any) -> None:
        self._written()
        super().discard(*args)

    def retry(self, *args: Any) -> None:
        self._written()
        super().retry(*args)

    def bring_forward(self, latest: float) -> int:
        self._written()
        return super().bring_forward(latest)

    def shift_due(self, seconds: float) -> None:
        self._written()
        super().shift_due(seconds)
