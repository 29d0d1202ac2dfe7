"""SQLite persistence of the scheduled callbacks, in the CCaaS database (write-through, committed here)."""

from __future__ import annotations

import sqlite_utils

from agent_desktop_mocks.ccaas.scheduled.schemas import ScheduledCallback


class CallbackStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.execute(
            "create table if not exists scheduled_callbacks (id text primary key, agent_id text, data text)"
        )
        self.conn.commit()

    def save(self, callback: ScheduledCallback) -> None:
        self.conn.execute(
            "insert or replace into scheduled_callbacks values (?, ?, ?)",
            [callback.id, callback.agent_id, callback.model_dump_json()],
        )
        self.conn.commit()

    def all(self) -> list[ScheduledCallback]:
        rows = self.conn.execute("select data from scheduled_callbacks order by id")
        return [ScheduledCallback.model_validate_json(row[0]) for row in rows]
