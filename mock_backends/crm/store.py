"""The CRM's SQLite tables and the queries the routes need.

Customers keep their phones and emails as JSON for display; the side tables
`customer_phones` (E.164) and `customer_emails` (lower case) are indexed so a
lookup stays a single index probe however many customers there are.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from mock_backends.crm.schemas import Case, Customer, Interaction

CASE_STATUS_ORDER = "CASE status WHEN 'open' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END"


def stamp(moment: datetime) -> str:
    """A fixed-width UTC ISO 8601 string, so stored times sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def create_tables(db: sqlite_utils.Database) -> None:
    if "customers" in db.table_names():
        return
    db["customers"].create(
        {
            "id": str,
            "name": str,
            "account_number": str,
            "language": str,
            "tier": str,
            "consent_marketing": int,
            "notes": str,
            "phones": str,
            "emails": str,
        },
        pk="id",
    )
    db["customers"].create_index(["account_number"])
    db["customer_phones"].create({"e164": str, "customer_id": str})
    db["customer_phones"].create_index(["e164"])
    db["customer_emails"].create({"email_lower": str, "customer_id": str})
    db["customer_emails"].create_index(["email_lower"])
    db["cases"].create(
        {
            "id": str,
            "customer_id": str,
            "subject": str,
            "status": str,
            "priority": str,
            "owner": str,
            "opened_at": str,
        },
        pk="id",
    )
    db["cases"].create_index(["customer_id"])
    db["interactions"].create(
        {
            "id": str,
            "customer_id": str,
            "contact_id": str,
            "channel": str,
            "direction": str,
            "agent_id": str,
            "queue_id": str,
            "offered_at": str,
            "answered_at": str,
            "ended_at": str,
            "disposition": str,
            "notes": str,
            "created_at": str,
        },
        pk="id",
    )
    db["interactions"].create_index(["customer_id", "created_at"])
    db["idempotency_keys"].create(
        {"key": str, "request_hash": str, "status_code": int, "response_json": str},
        pk="key",
    )


def is_empty(db: sqlite_utils.Database) -> bool:
    return db.execute("select not exists (select 1 from customers)").fetchone()[0] == 1


def next_id(db: sqlite_utils.Database, table: str, prefix: str, width: int = 6) -> str:
    """The next sequential id of a table whose rows are never deleted (`cus-000061`)."""
    (last,) = db.execute(f"select coalesce(max(rowid), 0) from [{table}]").fetchone()
    return f"{prefix}-{last + 1:0{width}d}"


def customer_rows(customer: Customer) -> tuple[dict[str, Any], list[dict[str, str]], list[dict[str, str]]]:
    """The customers row and its phone and email index rows."""
    row = customer.model_dump()
    row["phones"] = json.dumps(customer.phones)
    row["emails"] = json.dumps(customer.emails)
    phones = [{"e164": phone, "customer_id": customer.id} for phone in customer.phones]
    emails = [{"email_lower": email.lower(), "customer_id": customer.id} for email in customer.emails]
    return row, phones, emails


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Plain executemany (fast, and atomic inside the caller's `with db.conn:`)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])


def insert_customer(db: sqlite_utils.Database, customer: Customer) -> None:
    row, phones, emails = customer_rows(customer)
    with db.conn:
        insert_rows(db, "customers", [row])
        insert_rows(db, "customer_phones", phones)
        insert_rows(db, "customer_emails", emails)


def _customer(row: dict[str, Any]) -> Customer:
    row = dict(row)
    row["phones"] = json.loads(row["phones"] or "[]")
    row["emails"] = json.loads(row["emails"] or "[]")
    if row["consent_marketing"] is not None:
        row["consent_marketing"] = bool(row["consent_marketing"])
    return Customer.model_validate(row)


def get_customer(db: sqlite_utils.Database, customer_id: str) -> Customer | None:
    rows = list(db.query("select * from customers where id = ?", [customer_id]))
    return _customer(rows[0]) if rows else None


def _customers_where(db: sqlite_utils.Database, condition: str, params: list[Any]) -> list[Customer]:
    return [_customer(row) for row in db.query(f"select * from customers where {condition} order by id", params)]


def customers_by_phone(db: sqlite_utils.Database, e164: str) -> list[Customer]:
    return _customers_where(db, "id in (select customer_id from customer_phones where e164 = ?)", [e164])


def customers_by_email(db: sqlite_utils.Database, email: str) -> list[Customer]:
    return _customers_where(
        db, "id in (select customer_id from customer_emails where email_lower = ?)", [email.strip().lower()]
    )


def customers_by_account(db: sqlite_utils.Database, account: str) -> list[Customer]:
    return _customers_where(db, "account_number = ?", [account.strip().upper()])


def interactions_of(db: sqlite_utils.Database, customer_id: str, limit: int | None = None) -> list[Interaction]:
    sql = "select * from interactions where customer_id = ? order by created_at desc, id desc"
    params: list[Any] = [customer_id]
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    return [Interaction.model_validate(row) for row in db.query(sql, params)]


def cases_of(db: sqlite_utils.Database, customer_id: str) -> list[Case]:
    sql = f"select * from cases where customer_id = ? order by {CASE_STATUS_ORDER}, opened_at desc, id desc"
    return [Case.model_validate(row) for row in db.query(sql, [customer_id])]


def interaction_row(interaction: Interaction) -> dict[str, Any]:
    row = interaction.model_dump(mode="json")
    for field in ("offered_at", "answered_at", "ended_at", "created_at"):
        value = getattr(interaction, field)
        row[field] = stamp(value) if value is not None else None
    return row


def find_idempotency_key(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from idempotency_keys where key = ?", [key]))
    return rows[0] if rows else None


def insert_interaction(
    db: sqlite_utils.Database, interaction: Interaction, idempotency_key: str, request_hash: str
) -> None:
    """Store the interaction and the answer to replay for its idempotency key, together."""
    with db.conn:
        insert_rows(db, "interactions", [interaction_row(interaction)])
        answer = {
            "key": idempotency_key,
            "request_hash": request_hash,
            "status_code": 201,
            "response_json": interaction.model_dump_json(),
        }
        insert_rows(db, "idempotency_keys", [answer])
