"""SQLite persistence of flags, in the CCaaS database (write-through, committed by the caller)."""

from __future__ import annotations

import sqlite_utils

from agent_desktop_mocks.ccaas.flags.schemas import Flag


class FlagStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.execute("create table if not exists flags (id text primary key, data text)")
        self.conn.commit()

    def save(self, flag: Flag) -> None:
        self.conn.execute("insert or replace into flags values (?, ?)", [flag.id, flag.model_dump_json()])

    def all(self) -> list[Flag]:
        rows = self.conn.execute("select data from flags order by id")
        return [Flag.model_validate_json(row[0]) for row in rows]
