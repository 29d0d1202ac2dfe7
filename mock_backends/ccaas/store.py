"""SQLite persistence of the routing engine's state (write-through, sqlite-utils).

Tables `agents`, `queues`, `contacts` and `offers` hold the current state of
each record; the event history lives in the EventLog's `events` table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from mock_backends.ccaas.schemas import Agent, Contact, OfferState, Queue

_LIST_FIELDS = ("skills", "not_ready_reasons", "dispositions")


@dataclass
class OfferRecord:
    """An offer as stored: the contact is referenced, not copied."""

    id: str
    agent_id: str
    contact_id: str
    state: OfferState
    offered_at: datetime
    expires_at: datetime


class Store:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        if "agents" not in db.table_names():
            db["agents"].create(
                {
                    "id": str,
                    "name": str,
                    "state": str,
                    "reason": str,
                    "state_since": str,
                    "skills": str,
                    "not_ready_reasons": str,
                },
                pk="id",
            )
        if "queues" not in db.table_names():
            db["queues"].create(
                {
                    "id": str,
                    "name": str,
                    "skills": str,
                    "priority": int,
                    "service_level_target_pct": float,
                    "service_level_threshold_s": int,
                    "dispositions": str,
                    "acw_timeout_s": int,
                },
                pk="id",
            )
        if "contacts" not in db.table_names():
            db["contacts"].create(
                {
                    "id": str,
                    "channel": str,
                    "queue_id": str,
                    "queue_name": str,
                    "from_address": str,
                    "subject": str,
                    "state": str,
                    "agent_id": str,
                    "entered_queue_at": str,
                    "offered_at": str,
                    "answered_at": str,
                    "ended_at": str,
                    "completed_at": str,
                    "disposition": str,
                },
                pk="id",
            )
            db["contacts"].create_index(["state"])
        if "offers" not in db.table_names():
            db["offers"].create(
                {
                    "id": str,
                    "agent_id": str,
                    "contact_id": str,
                    "state": str,
                    "offered_at": str,
                    "expires_at": str,
                },
                pk="id",
            )
            db["offers"].create_index(["state"])

    def is_empty(self) -> bool:
        return self.db["agents"].count == 0

    # --- writes ---------------------------------------------------------------

    def save_agent(self, agent: Agent) -> None:
        self.db["agents"].upsert(_row(agent.model_dump(mode="json")), pk="id")

    def save_queue(self, queue: Queue) -> None:
        self.db["queues"].upsert(_row(queue.model_dump(mode="json")), pk="id")

    def save_contact(self, contact: Contact) -> None:
        self.db["contacts"].upsert(contact.model_dump(mode="json"), pk="id")

    def save_offer(self, offer: OfferRecord) -> None:
        self.db["offers"].upsert(
            {
                "id": offer.id,
                "agent_id": offer.agent_id,
                "contact_id": offer.contact_id,
                "state": offer.state.value,
                "offered_at": offer.offered_at.isoformat(),
                "expires_at": offer.expires_at.isoformat(),
            },
            pk="id",
        )

    # --- reads ----------------------------------------------------------------

    def agents(self) -> list[Agent]:
        return [Agent.model_validate(_unrow(row)) for row in self.db["agents"].rows_where(order_by="id")]

    def queues(self) -> list[Queue]:
        return [Queue.model_validate(_unrow(row)) for row in self.db["queues"].rows_where(order_by="priority, id")]

    def contacts(self, *, since: datetime) -> list[Contact]:
        """Contacts still open, and finished ones that entered the queue since `since`."""
        rows = self.db["contacts"].rows_where(
            "state not in ('completed', 'abandoned') or entered_queue_at >= ?", [since.isoformat()], order_by="id"
        )
        return [Contact.model_validate(row) for row in rows]

    def contact(self, contact_id: str) -> Contact | None:
        rows = list(self.db["contacts"].rows_where("id = ?", [contact_id]))
        return Contact.model_validate(rows[0]) if rows else None

    def offer(self, offer_id: str) -> OfferRecord | None:
        rows = list(self.db["offers"].rows_where("id = ?", [offer_id]))
        return _offer(rows[0]) if rows else None

    def pending_offers(self) -> list[OfferRecord]:
        rows = self.db["offers"].rows_where("state = ?", [OfferState.PENDING.value], order_by="id")
        return [_offer(row) for row in rows]

    def last_number(self, table: str) -> int:
        """The highest sequence number used in a table's ids (`c-000042` → 42)."""
        row = self.db.execute(f"select max(id) from [{table}]").fetchone()
        return int(row[0].split("-")[1]) if row and row[0] else 0


def _offer(row: dict[str, Any]) -> OfferRecord:
    return OfferRecord(
        id=row["id"],
        agent_id=row["agent_id"],
        contact_id=row["contact_id"],
        state=OfferState(row["state"]),
        offered_at=datetime.fromisoformat(row["offered_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
    )


def _row(data: dict[str, Any]) -> dict[str, Any]:
    return {key: json.dumps(value) if key in _LIST_FIELDS else value for key, value in data.items()}


def _unrow(row: dict[str, Any]) -> dict[str, Any]:
    return {key: json.loads(value) if key in _LIST_FIELDS and value else value for key, value in row.items()}
