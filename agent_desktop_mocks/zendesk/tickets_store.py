"""The Zendesk mock's own tables beside the CRM's: comments written through its API, what a ticket
has that a CRM case has not (its first comment as description, tags, external id, a Zendesk status); the
users' own tables are in users_store.py."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlite_utils

from agent_desktop_mocks.zendesk.records import stamp

_TABLES = """
create table if not exists zendesk_comments (
    id integer primary key autoincrement, ticket_id integer, author_id integer, body text, public integer,
    created_at text);
create index if not exists zendesk_comments_ticket on zendesk_comments (ticket_id, id);
create table if not exists zendesk_tickets (
    ticket_id integer primary key, description text, status text, external_id text, tags text, updated_at text);
"""


def create_tables(db: sqlite_utils.Database) -> None:
    db.conn.executescript(_TABLES)


def add_comment(
    db: sqlite_utils.Database, ticket_id: int, author_id: int, body: str, public: bool, at: datetime
) -> None:
    db.conn.execute(
        "insert into zendesk_comments (ticket_id, author_id, body, public, created_at) values (?, ?, ?, ?, ?)",
        [ticket_id, author_id, body, int(public), at.isoformat()],
    )


def comments_of(db: sqlite_utils.Database, ticket_id: int) -> list[dict[str, Any]]:
    cursor = db.execute("select * from zendesk_comments where ticket_id = ? order by id", [ticket_id])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def ticket_extra(db: sqlite_utils.Database, ticket_id: int) -> dict[str, Any]:
    row = db.execute(
        "select description, status, external_id, tags, updated_at from zendesk_tickets where ticket_id = ?",
        [ticket_id],
    ).fetchone()
    if row is None:
        return {}
    description, status, external_id, tags, updated_at = row
    return {
        "description": description,
        "status": status,
        "external_id": external_id,
        "tags": json.loads(tags or "[]"),
        "updated_at": updated_at,
    }


def save_ticket_extra(db: sqlite_utils.Database, ticket_id: int, at: datetime, **values: Any) -> None:
    current = ticket_extra(db, ticket_id)
    merged = {**current, **{k: v for k, v in values.items() if v is not None}, "updated_at": stamp(at)}
    db.conn.execute(
        "insert or replace into zendesk_tickets (ticket_id, description, status, external_id, tags, updated_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [
            ticket_id,
            merged.get("description"),
            merged.get("status"),
            merged.get("external_id"),
            json.dumps(merged.get("tags", [])),
            merged["updated_at"],
        ],
    )


def set_case_status(db: sqlite_utils.Database, case_id: str, status: str) -> None:
    db.conn.execute("update cases set status = ? where id = ?", [status, case_id])
