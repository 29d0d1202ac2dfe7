"""SQLite persistence of who monitors what, in the CCaaS database (write-through, committed by the caller)."""

from __future__ import annotations

import sqlite_utils

from agent_desktop_mocks.ccaas.monitoring.schemas import Monitoring


class MonitoringStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.execute(
            "create table if not exists monitoring (contact_id text, supervisor_id text, data text, "
            "primary key (contact_id, supervisor_id))"
        )
        self.conn.commit()

    def save(self, session: Monitoring) -> None:
        self.conn.execute(
            "insert or replace into monitoring values (?, ?, ?)",
            [session.contact_id, session.supervisor_id, session.model_dump_json()],
        )

    def delete(self, contact_id: str, supervisor_id: str) -> None:
        self.conn.execute(
            "delete from monitoring where contact_id = ? and supervisor_id = ?", [contact_id, supervisor_id]
        )

    def all(self) -> list[Monitoring]:
        rows = self.conn.execute("select data from monitoring order by contact_id, supervisor_id")
        return [Monitoring.model_validate_json(row[0]) for row in rows]
