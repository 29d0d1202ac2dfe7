"""A SQLite connection that fails on demand, as a full or failing disk would, for the CCaaS fault tests.

While the trigger file exists, its text says what fails: `commit` (every commit raises) or
`insert:TABLE` (every insert into that table raises). Used in-process (`connect`) and in a server
process started by `serve_faulty_ccaas` (the trigger file is how the test reaches into it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


class FaultyConnection(sqlite3.Connection):
    trigger: Path | None = None

    def _fault(self) -> str:
        try:
            return self.trigger.read_text().strip() if self.trigger else ""
        except FileNotFoundError:
            return ""

    def commit(self) -> None:
        if self._fault() == "commit":
            raise sqlite3.OperationalError("disk I/O error (injected at commit)")
        super().commit()

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        fault = self._fault()
        if fault.startswith("insert:") and sql.lstrip().lower().startswith("insert") and f" {fault[7:]} " in sql:
            raise sqlite3.OperationalError(f"disk I/O error (injected at {fault})")
        return super().execute(sql, *args)


def install(trigger: Path) -> None:
    """Every SQLite connection opened from now on in this process is a FaultyConnection."""
    real_connect = sqlite3.connect
    FaultyConnection.trigger = trigger

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", FaultyConnection)
        connection: sqlite3.Connection = real_connect(*args, **kwargs)
        return connection

    sqlite3.connect = connect  # type: ignore[assignment]  # one function in place of typeshed's overloads
