"""SQLite persistence of the workforce data, in the CCaaS database: the history and the working day's opening
(made once, at first start) and each day's schedules (made when first asked for, then kept, as a published schedule
is)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlite_utils

from agent_desktop_mocks.ccaas.workforce.history import IntervalRecord
from agent_desktop_mocks.ccaas.workforce.scheduler import Activity, Shift


class WorkforceStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.execute(
            "create table if not exists workforce_history"
            " (queue_id text, day text, interval integer, arrivals integer, aht_s real,"
            " primary key (queue_id, day, interval))"
        )
        self.conn.execute(
            "create table if not exists workforce_shifts (day text, agent_id text, data text, primary key (day, agent_id))"
        )
        self.conn.execute("create table if not exists workforce_opening (day text primary key, opens text)")
        self.conn.commit()

    def opening(self, day: date) -> datetime | None:
        """When the working day `day` opens, as it was laid at the first start (None: not kept)."""
        row = self.conn.execute("select opens from workforce_opening where day = ?", [day.isoformat()]).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def save_opening(self, day: date, opens: datetime) -> None:
        self.conn.execute(
            "insert or replace into workforce_opening values (?, ?)", [day.isoformat(), opens.isoformat()]
        )
        self.conn.commit()

    def history(self) -> list[IntervalRecord]:
        rows = self.conn.execute("select queue_id, day, interval, arrivals, aht_s from workforce_history")
        return [IntervalRecord(q, date.fromisoformat(d), i, n, aht) for q, d, i, n, aht in rows]

    def save_history(self, rows: list[IntervalRecord]) -> None:
        self.conn.executemany(
            "insert or replace into workforce_history values (?, ?, ?, ?, ?)",
            [(r.queue_id, r.day.isoformat(), r.interval, r.arrivals, r.aht_s) for r in rows],
        )
        self.conn.commit()

    def shifts(self, day: date) -> list[Shift] | None:
        rows = list(
            self.conn.execute("select data from workforce_shifts where day = ? order by agent_id", [day.isoformat()])
        )
        return [_shift(json.loads(row[0])) for row in rows] or None

    def save_shifts(self, day: date, shifts: list[Shift]) -> None:
        self.conn.executemany(
            "insert or replace into workforce_shifts values (?, ?, ?)",
            [(day.isoformat(), s.agent_id, json.dumps(_row(s))) for s in shifts],
        )
        self.conn.commit()


def _row(shift: Shift) -> dict[str, object]:
    return {
        "agent_id": shift.agent_id,
        "start": shift.start,
        "end": shift.end,
        "activities": [[a.kind, a.start, a.end] for a in shift.activities],
    }


def _shift(row: dict[str, Any]) -> Shift:  # (the row as JSON read back)
    activities = tuple(Activity(kind, start, end) for kind, start, end in row["activities"])
    return Shift(row["agent_id"], row["start"], row["end"], activities)
