"""SQLite persistence of quality management, in the CCaaS database: evaluations, and each contact's timeline
(write-through, committed by the caller)."""

from __future__ import annotations

import sqlite_utils

from agent_desktop_mocks.ccaas.quality.schemas import Evaluation, TimelineEntry


class QualityStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.executescript(
            """
            create table if not exists evaluations (id text primary key, data text);
            create table if not exists contact_timeline (contact_id text, seq integer primary key, data text);
            create index if not exists contact_timeline_by_contact on contact_timeline (contact_id, seq);
            """
        )
        self.conn.commit()

    def save(self, evaluation: Evaluation) -> None:
        self.conn.execute(
            "insert or replace into evaluations values (?, ?)", [evaluation.id, evaluation.model_dump_json()]
        )

    def evaluations(self) -> list[Evaluation]:
        rows = self.conn.execute("select data from evaluations order by id")
        return [Evaluation.model_validate_json(row[0]) for row in rows]

    def add_entries(self, entries: list[tuple[str, TimelineEntry]]) -> None:
        self.conn.executemany(
            "insert into contact_timeline (contact_id, data) values (?, ?)",
            [(contact_id, entry.model_dump_json()) for contact_id, entry in entries],
        )

    def timeline(self, contact_id: str) -> list[TimelineEntry]:
        rows = self.conn.execute("select data from contact_timeline where contact_id = ? order by seq", [contact_id])
        return [TimelineEntry.model_validate_json(row[0]) for row in rows]
