"""SQLite persistence of the routing engine's state (write-through).

Tables `agents`, `queues`, `contacts` and `offers` hold the current state of each
record as JSON (plus the columns queries need), `declined` who a queued contact is kept from; `stats_history` the per-minute
samples; the append-only history of every transition is the EventLog's `events`
table. Writes are not committed one by one: the engine commits once per request
(`commit()`), so a transition is stored whole or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from agent_desktop_mocks.ccaas.core.records import OfferRecord
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    TERMINAL,
    Agent,
    AgentState,
    Contact,
    OfferState,
    Queue,
    StatsSample,
    last_touched,
)
from agent_desktop_mocks.common.storage import checkpoint_wal, checkpointer_of

SCHEMA_VERSION = "2"
_TABLES = ("agents", "queues", "contacts", "offers", "declined", "stats_history", "self_served")
__all__ = ["OfferRecord", "Store"]


class Store:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn = db.conn
        # Checkpoints leave the request path: SQLite's automatic one (every 1,000 WAL pages) ran inside whichever
        # commit crossed the mark (bench_routing's tail). The scheduler's checkpoint (schedule.py) has its own connection.
        self.conn.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpointer: sqlite3.Connection | None = None
        self.conn.execute("create table if not exists ccaas_meta (key text primary key, value text)")
        row = self.conn.execute("select value from ccaas_meta where key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:  # data of an older version: seed again
            for table in _TABLES:
                self.conn.execute(f"drop table if exists [{table}]")
            self.conn.execute("insert or replace into ccaas_meta values ('schema', ?)", [SCHEMA_VERSION])
        # No index on contacts' state: no query used the one there was (SQLite scans contacts by id for the
        # `state not in (...) or ...` reads), and every change of a contact's state rewrote its entries in it.
        self.conn.executescript(
            """
            create table if not exists agents (id text primary key, chosen_state text, chosen_reason text, data text);
            create table if not exists queues (id text primary key, data text);
            create table if not exists contacts (id text primary key, state text, entered_queue_at text, data text);
            drop index if exists contacts_state;
            create table if not exists offers (
                id text primary key, agent_id text, contact_id text, state text, offered_at text, expires_at text
            );
            create index if not exists offers_state on offers (state);
            create table if not exists declined (contact_id text, agent_id text, primary key (contact_id, agent_id));
            create table if not exists stats_history (at text, queue_id text, waiting integer, service_level_pct real);
            create index if not exists stats_history_at on stats_history (at);
            create table if not exists self_served (at text, queue_id text, intent text);
            create index if not exists self_served_at on self_served (at);
            """
        )
        self.conn.commit()

    def is_empty(self) -> bool:
        agents: int = self.conn.execute("select count(*) from agents").fetchone()[0]  # sqlite rows are Any
        return agents == 0

    def commit(self) -> None:
        self.conn.commit()

    def checkpoint(self) -> None:
        """Copy the WAL into the database file (PASSIVE: never waits for, nor blocks, the writer).

        Called off the event loop (a worker thread), on a connection of its own, so that requests
        keep committing while it runs."""
        if self._checkpointer is None:
            path = self.conn.execute("pragma database_list").fetchone()[2]
            if not path:  # an in-memory database has no WAL
                return
            self._checkpointer = checkpointer_of(path)
        checkpoint_wal(self._checkpointer)

    def close_checkpoint(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None

    def rollback(self) -> None:
        self.conn.rollback()

    def has_changes(self) -> bool:
        """Whether the open transaction has written anything."""
        return self.conn.in_transaction

    # --- writes ---------------------------------------------------------------

    def save_agent(self, agent: Agent, chosen: AgentState, chosen_reason: str | None) -> None:
        self.conn.execute(
            "insert into agents values (?, ?, ?, ?) on conflict (id) do update"
            " set chosen_state = excluded.chosen_state, chosen_reason = excluded.chosen_reason, data = excluded.data",
            [agent.id, chosen.value, chosen_reason, agent.model_dump_json()],
        )

    def save_queue(self, queue: Queue) -> None:
        self.conn.execute("insert or replace into queues values (?, ?)", [queue.id, queue.model_dump_json()])

    def save_contact(self, contact: Contact) -> None:
        self.conn.execute(
            "insert into contacts values (?, ?, ?, ?) on conflict (id) do update"
            " set state = excluded.state, entered_queue_at = excluded.entered_queue_at, data = excluded.data",
            [contact.id, contact.state.value, contact.entered_queue_at.isoformat(), contact.model_dump_json()],
        )

    def save_offer(self, offer: OfferRecord) -> None:
        self.conn.execute(
            "insert into offers values (?, ?, ?, ?, ?, ?) on conflict (id) do update set agent_id = excluded.agent_id,"
            " contact_id = excluded.contact_id, state = excluded.state, offered_at = excluded.offered_at,"
            " expires_at = excluded.expires_at",
            [
                offer.id,
                offer.agent_id,
                offer.contact_id,
                offer.state.value,
                offer.offered_at.isoformat(),
                offer.expires_at.isoformat(),
            ],
        )

    def save_sample(self, sample: StatsSample) -> None:
        self.conn.execute(
            "insert into stats_history values (?, ?, ?, ?)",
            [sample.at.isoformat(), sample.queue_id, sample.waiting, sample.service_level_pct],
        )

    def save_self_served(self, at: datetime, queue_id: str, intent: str | None) -> None:
        self.conn.execute("insert into self_served values (?, ?, ?)", [at.isoformat(), queue_id, intent])

    # --- reads ----------------------------------------------------------------

    def self_served(self, since: datetime) -> list[tuple[datetime, str]]:
        """(when, queue id) of every caller served by IVR self-service since then."""
        rows = self.conn.execute("select at, queue_id from self_served where at >= ? order by at", [since.isoformat()])
        return [(datetime.fromisoformat(at), queue_id) for at, queue_id in rows]

    def agents(self) -> list[tuple[Agent, AgentState, str | None]]:
        rows = self.conn.execute("select data, chosen_state, chosen_reason from agents order by id").fetchall()
        return [(Agent.model_validate_json(data), AgentState(chosen), reason) for data, chosen, reason in rows]

    def queues(self) -> list[Queue]:
        return [Queue.model_validate_json(row[0]) for row in self.conn.execute("select data from queues order by id")]

    def contacts(self, *, since: datetime) -> list[Contact]:
        """Contacts still open, and finished ones that entered the queue since `since`."""
        rows = self.conn.execute(
            "select data from contacts where state not in ('completed', 'abandoned') or entered_queue_at >= ? "
            "order by id",
            [since.isoformat()],
        )
        return [Contact.model_validate_json(row[0]) for row in rows]

    def iter_contacts_touched(self, *, since: datetime) -> Iterator[Contact]:
        """Contacts still open, and finished ones that entered, were answered, ended or completed since
        `since` (a day's figures count a contact that entered before midnight and was answered after)."""
        rough = (since - timedelta(seconds=1)).isoformat()[:19]  # JSON times end in "Z", the column's in "+00:00"
        rows = self.conn.execute(
            "select data from contacts where state not in ('completed', 'abandoned') or entered_queue_at >= ? "
            "or substr(json_extract(data, '$.answered_at'), 1, 19) >= ? "
            "or substr(json_extract(data, '$.ended_at'), 1, 19) >= ? "
            "or substr(json_extract(data, '$.completed_at'), 1, 19) >= ? order by id",
            [since.isoformat(), rough, rough, rough],
        )
        for row in rows:
            contact = Contact.model_validate_json(row[0])
            if contact.state not in TERMINAL or last_touched(contact) >= since:
                yield contact

    def contacts_handled_by(self, agent_id: str, *, since: datetime) -> list[Contact]:
        """Contacts the agent was connected to that entered the queue since `since`."""
        rows = self.conn.execute(
            "select data from contacts where entered_queue_at >= ? and exists "
            "(select 1 from json_each(contacts.data, '$.handled_by') where value = ?)",
            [since.isoformat(), agent_id],
        )
        return [Contact.model_validate_json(row[0]) for row in rows]

    def contact(self, contact_id: str) -> Contact | None:
        row = self.conn.execute("select data from contacts where id = ?", [contact_id]).fetchone()
        return Contact.model_validate_json(row[0]) if row else None

    def offer(self, offer_id: str) -> OfferRecord | None:
        row = self.conn.execute("select * from offers where id = ?", [offer_id]).fetchone()
        return _offer(row) if row else None

    def save_declined(self, contact_id: str, agent_ids: frozenset[str]) -> None:
        """Who declined a contact still kept from them (none: the contact may go to anyone again)."""
        self.conn.execute("delete from declined where contact_id = ?", [contact_id])
        self.conn.executemany("insert into declined values (?, ?)", [(contact_id, a) for a in sorted(agent_ids)])

    def declined(self) -> dict[str, set[str]]:
        kept: dict[str, set[str]] = {}
        for contact_id, agent_id in self.conn.execute("select contact_id, agent_id from declined order by rowid"):
            kept.setdefault(contact_id, set()).add(agent_id)
        return kept

    def pending_offers(self) -> list[OfferRecord]:
        rows = self.conn.execute("select * from offers where state = ? order by id", [OfferState.PENDING.value])
        return [_offer(row) for row in rows]

    def samples(self, since: datetime) -> list[StatsSample]:
        rows = self.conn.execute(
            "select at, queue_id, waiting, service_level_pct from stats_history where at >= ? order by at, queue_id",
            [since.isoformat()],
        )
        return [StatsSample(at=at, queue_id=q, waiting=w, service_level_pct=sl) for at, q, w, sl in rows]

    def last_number(self, table: str) -> int:
        """The highest sequence number used in a table's ids (`c-000042` → 42)."""
        row = self.conn.execute(f"select max(cast(substr(id, 3) as integer)) from [{table}]").fetchone()
        return int(row[0]) if row and row[0] else 0


def _offer(row: tuple[Any, ...]) -> OfferRecord:
    id_, agent_id, contact_id, state, offered_at, expires_at = row
    return OfferRecord(
        id=id_,
        agent_id=agent_id,
        contact_id=contact_id,
        state=OfferState(state),
        offered_at=datetime.fromisoformat(offered_at),
        expires_at=datetime.fromisoformat(expires_at),
    )
