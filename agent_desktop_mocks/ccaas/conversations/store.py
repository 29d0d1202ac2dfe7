"""SQLite persistence of conversations, in the CCaaS database (write-through, committed by the caller).

`conversations` holds each conversation's record as JSON (the simulated customer's state
included), `conversation_items` the transcript (the integer key is the item id's number, so
ids keep increasing across a restart), `conversation_settings` the per-queue inactivity
timeouts, `conversation_keys` the answers stored for an `Idempotency-Key`, `conversation_cursor` the id of the
engine's last event the conversations took in (saved in the transaction of what it changed).
"""

from __future__ import annotations

import json

import sqlite_utils

from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem


class ConversationStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.executescript(
            """
            create table if not exists conversations (contact_id text primary key, state text, data text);
            create index if not exists conversations_state on conversations (state);
            create table if not exists conversation_items (
                id integer primary key, contact_id text, role text, kind text, data text
            );
            create index if not exists conversation_items_contact on conversation_items (contact_id, id);
            create index if not exists conversation_items_role on conversation_items (contact_id, role, id);
            create table if not exists conversation_settings (queue_id text primary key, data text);
            create table if not exists conversation_keys (
                key text primary key, contact_id text, request_hash text, item_id integer
            );
            create table if not exists conversation_cursor (name text primary key, event_id integer);
            """
        )
        self.conn.commit()

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    # --- conversations ----------------------------------------------------------

    def save(self, record: ConversationRecord) -> None:
        self.conn.execute(
            "insert or replace into conversations values (?, ?, ?)",
            [record.contact_id, record.state, record.model_dump_json()],
        )

    def get(self, contact_id: str) -> ConversationRecord | None:
        row = self.conn.execute("select data from conversations where contact_id = ?", [contact_id]).fetchone()
        return ConversationRecord.model_validate_json(row[0]) if row else None

    def active(self) -> list[ConversationRecord]:
        rows = self.conn.execute("select data from conversations where state = 'active' order by contact_id")
        return [ConversationRecord.model_validate_json(row[0]) for row in rows]

    # --- items --------------------------------------------------------------------

    def next_item_number(self) -> int:
        row = self.conn.execute("select max(id) from conversation_items").fetchone()
        return (row[0] or 0) + 1

    def add_item(self, number: int, item: TranscriptItem) -> None:
        self.conn.execute(
            "insert into conversation_items values (?, ?, ?, ?, ?)",
            [number, item.contact_id, item.role, item.kind, item.model_dump_json()],
        )

    def update_item(self, number: int, item: TranscriptItem) -> None:
        self.conn.execute("update conversation_items set data = ? where id = ?", [item.model_dump_json(), number])

    def checkpoint_truncate(self) -> None:
        """Empty the WAL into the database file (after a redaction: no older copy of a page stays readable
        there; the database itself runs with secure_delete, so the old cell is zeroed too). A reader in the
        middle of a snapshot makes it a no-op; the next redaction tries again."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def item(self, number: int) -> TranscriptItem | None:
        row = self.conn.execute("select data from conversation_items where id = ?", [number]).fetchone()
        return TranscriptItem.model_validate_json(row[0]) if row else None

    def page(self, contact_id: str, before: int | None, limit: int) -> tuple[list[TranscriptItem], bool]:
        """The newest `limit` items before item number `before`, oldest first, and whether older ones exist."""
        rows = self.conn.execute(
            "select data from conversation_items where contact_id = ? and id < ? order by id desc limit ?",
            [contact_id, before if before is not None else 1 << 62, limit + 1],
        ).fetchall()
        items = [TranscriptItem.model_validate_json(row[0]) for row in rows[:limit]]
        items.reverse()
        return items, len(rows) > limit

    def messages(
        self, contact_id: str, role: str, *, after: int = 0, up_to: int | None = None, newest: int | None = None
    ) -> list[tuple[int, TranscriptItem]]:
        """Messages of `role` with item numbers in (after, up_to], oldest first; only the `newest` N if given."""
        rows = self.conn.execute(
            "select id, data from conversation_items where contact_id = ? and role = ? and kind = 'message' "
            "and id > ? and id <= ? order by id desc limit ?",
            [contact_id, role, after, up_to if up_to is not None else 1 << 62, newest if newest is not None else -1],
        ).fetchall()
        return [(row[0], TranscriptItem.model_validate_json(row[1])) for row in reversed(rows)]

    def last_message(self, contact_id: str, role: str) -> TranscriptItem | None:
        found = self.messages(contact_id, role, newest=1)
        return found[0][1] if found else None

    def count_after(self, contact_id: str, after: int, role: str) -> int:
        """Messages of `role` after item number `after` (unread counts)."""
        row = self.conn.execute(
            "select count(*) from conversation_items where contact_id = ? and role = ? and kind = 'message' and id > ?",
            [contact_id, role, after],
        ).fetchone()
        return int(row[0])

    # --- where the conversations are in the engine's events ------------------------------

    def cursor(self) -> int | None:
        """The event log id up to which the engine's events are taken in (None: never saved, an older database)."""
        row = self.conn.execute("select event_id from conversation_cursor where name = 'engine'").fetchone()
        return int(row[0]) if row else None

    def save_cursor(self, event_id: int) -> None:
        self.conn.execute("insert or replace into conversation_cursor values ('engine', ?)", [event_id])

    # --- settings and idempotency keys ----------------------------------------------

    def settings(self, queue_id: str) -> dict[str, int | None] | None:
        row = self.conn.execute("select data from conversation_settings where queue_id = ?", [queue_id]).fetchone()
        return json.loads(row[0]) if row else None

    def save_settings(self, queue_id: str, timeouts: dict[str, int | None]) -> None:
        self.conn.execute(
            "insert or replace into conversation_settings values (?, ?)", [queue_id, json.dumps(timeouts)]
        )

    def key(self, key: str) -> tuple[str, str, int] | None:
        row = self.conn.execute(
            "select contact_id, request_hash, item_id from conversation_keys where key = ?", [key]
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def save_key(self, key: str, contact_id: str, request_hash: str, item_number: int) -> None:
        self.conn.execute(
            "insert into conversation_keys values (?, ?, ?, ?)", [key, contact_id, request_hash, item_number]
        )
