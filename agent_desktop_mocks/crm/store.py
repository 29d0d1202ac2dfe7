"""The CRM's SQLite tables and the queries the routes need.

Customers keep their phones and emails as JSON for display; the side tables
`customer_phones` (E.164) and `customer_emails` (lower case) are indexed so a
lookup stays a single index probe however many customers there are. Indexes are
created after a bulk seed (`create_indexes`), which makes seeding a million
customers several times faster than indexing row by row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from agent_desktop_mocks.crm.schemas import (
    Account,
    Case,
    Customer,
    EvaluationRecord,
    Interaction,
    Note,
    Order,
    Supervision,
)

CASE_STATUS_ORDER = "CASE status WHEN 'open' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END"

CUSTOMER_COLUMNS = (
    "id",
    "name",
    "account_number",
    "language",
    "tier",
    "segment",
    "preferred_channel",
    "contact_hours",
    "consent_marketing",
    "consent_sms",
    "consent_recording",
    "do_not_call",
    "address",
    "notes",
    "phones",
    "emails",
)
ACCOUNT_COLUMNS = (
    "number",
    "customer_id",
    "plan",
    "status",
    "opened_on",
    "balance",
    "currency",
    "last_bill_amount",
    "next_bill_on",
    "payment_method",
    "autopay",
)
ORDER_COLUMNS = ("id", "customer_id", "placed_at", "item", "quantity", "total", "currency", "status")
CASE_COLUMNS = ("id", "customer_id", "subject", "status", "priority", "owner", "opened_at")
INTERACTION_COLUMNS = (
    "id",
    "customer_id",
    "contact_id",
    "channel",
    "direction",
    "agent_id",
    "queue_id",
    "offered_at",
    "answered_at",
    "ended_at",
    "disposition",
    "summary",
    "notes",
    "transfer_path",
    "created_at",
)
# Columns the seed leaves empty, added later: a file made before them gets them when it is opened.
LATER_COLUMNS = {
    "interactions": ("transcript", "private_notes", "ended_by"),
    "customers": ("time_zone",),
    "customer_phones": ("digits_reversed",),
    "supervision": ("impact",),
}
NOTE_COLUMNS = ("id", "customer_id", "contact_id", "author", "text", "created_at")
SUPERVISION_COLUMNS = (
    "id",
    "contact_id",
    "supervisor_id",
    "supervisor_name",
    "event",
    "mode",
    "at",
    "agent_id",
    "queue_id",
    "channel",
    "created_at",
)

_TABLES = f"""
create table if not exists customers ({", ".join(CUSTOMER_COLUMNS + LATER_COLUMNS["customers"])}, primary key (id));
create table if not exists customer_phones (e164 text, customer_id text, digits_reversed text);
create table if not exists customer_emails (email_lower text, customer_id text);
create table if not exists accounts ({", ".join(ACCOUNT_COLUMNS)}, primary key (number));
create table if not exists orders ({", ".join(ORDER_COLUMNS)}, primary key (id));
create table if not exists cases ({", ".join(CASE_COLUMNS)}, primary key (id));
create table if not exists case_contacts (case_id text, contact_id text, linked_at text, primary key (case_id, contact_id));
create table if not exists interactions ({", ".join(INTERACTION_COLUMNS + LATER_COLUMNS["interactions"])}, primary key (id));
create table if not exists notes ({", ".join(NOTE_COLUMNS)}, primary key (id));
create table if not exists supervision ({", ".join(SUPERVISION_COLUMNS + LATER_COLUMNS["supervision"])}, primary key (id));
create index if not exists supervision_contact on supervision (contact_id, at);
create table if not exists evaluations (id text primary key, evaluation_id text unique, contact_id text, data text);
create index if not exists evaluations_contact on evaluations (contact_id, id);
create table if not exists idempotency_keys (key text primary key, request_hash text, status_code integer, response_json text);
"""

_INDEXES = """
create index if not exists customers_account on customers (account_number);
create index if not exists customer_phones_e164 on customer_phones (e164);
create index if not exists customer_phones_digits on customer_phones (digits_reversed);
create index if not exists customer_emails_email on customer_emails (email_lower);
create index if not exists accounts_customer on accounts (customer_id);
create index if not exists orders_customer on orders (customer_id, placed_at);
create index if not exists cases_customer on cases (customer_id);
create index if not exists interactions_customer on interactions (customer_id, created_at);
create index if not exists interactions_contact on interactions (contact_id, created_at);
create index if not exists notes_customer on notes (customer_id, created_at);
"""


def stamp(moment: datetime) -> str:
    """A fixed-width UTC ISO 8601 string, so stored times sort as text."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def _select(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts, straight from the connection: sqlite-utils' `query` wraps each one in a
    savepoint (two more statements), a third of a lookup's time in SQLite."""
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def digits_reversed(phone: str) -> str:
    """A number's digits, last first: a search for the numbers that end in some digits (Zendesk's `phone:*1234`)
    is then a range of this indexed column, not a scan of every customer."""
    return digits(phone)[::-1]


def create_tables(db: sqlite_utils.Database) -> None:
    db.conn.executescript(_TABLES)
    for table, columns in LATER_COLUMNS.items():
        have = {row[1] for row in db.execute(f"pragma table_info({table})").fetchall()}
        for column in columns:
            if column not in have:
                db.execute(f"alter table {table} add column {column}")
                if column == "digits_reversed":  # a file from before the column: its numbers get theirs
                    rows = db.execute("select rowid, e164 from customer_phones").fetchall()
                    with db.conn:  # committed here, not by whichever write comes next
                        db.conn.executemany(
                            "update customer_phones set digits_reversed = ? where rowid = ?",
                            [(digits_reversed(e164 or ""), rowid) for rowid, e164 in rows],
                        )


def create_indexes(db: sqlite_utils.Database) -> None:
    db.conn.executescript(_INDEXES)


def is_empty(db: sqlite_utils.Database) -> bool:
    empty: int = db.execute("select not exists (select 1 from customers)").fetchone()[0]  # sqlite rows are Any
    return empty == 1


def next_id(db: sqlite_utils.Database, table: str, prefix: str, width: int = 6) -> str:
    """The next sequential id of a table whose rows are never deleted (`cus-000061`)."""
    (last,) = db.execute(f"select coalesce(max(rowid), 0) from [{table}]").fetchone()
    return f"{prefix}-{last + 1:0{width}d}"


def insert_tuples(db: sqlite_utils.Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Plain executemany (fast, and atomic inside the caller's `with db.conn:`)."""
    sql = f"insert into [{table}] ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, rows)


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        columns = list(rows[0])
        insert_tuples(db, table, columns, ([row[c] for c in columns] for row in rows))


def customer_rows(customer: Customer) -> tuple[dict[str, Any], list[dict[str, str]], list[dict[str, str]]]:
    """The customers row and its phone and email index rows."""
    row = customer.model_dump(mode="json")
    row["phones"] = json.dumps(customer.phones)
    row["emails"] = json.dumps(customer.emails)
    phones = [
        {"e164": phone, "customer_id": customer.id, "digits_reversed": digits_reversed(phone)}
        for phone in customer.phones
    ]
    emails = [{"email_lower": email.lower(), "customer_id": customer.id} for email in customer.emails]
    return row, phones, emails


def insert_customer(db: sqlite_utils.Database, customer: Customer) -> None:
    row, phones, emails = customer_rows(customer)
    insert_rows(db, "customers", [row])
    insert_rows(db, "customer_phones", phones)
    insert_rows(db, "customer_emails", emails)


def _bools(row: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if row.get(name) is not None:
            row[name] = bool(row[name])
    return row


def _customer(row: dict[str, Any]) -> Customer:
    row = _bools(dict(row), "consent_marketing", "consent_sms", "consent_recording", "do_not_call")
    row["phones"] = json.loads(row["phones"] or "[]")
    row["emails"] = json.loads(row["emails"] or "[]")
    row["do_not_call"] = bool(row["do_not_call"])
    return Customer.model_validate(row)


def get_customer(db: sqlite_utils.Database, customer_id: str) -> Customer | None:
    rows = _select(db, "select * from customers where id = ?", [customer_id])
    return _customer(rows[0]) if rows else None


def _customers_where(db: sqlite_utils.Database, condition: str, params: list[Any]) -> list[Customer]:
    return [_customer(row) for row in _select(db, f"select * from customers where {condition} order by id", params)]


def customers_by_phone(db: sqlite_utils.Database, e164: str) -> list[Customer]:
    return _customers_where(db, "id in (select customer_id from customer_phones where e164 = ?)", [e164])


def customers_by_email(db: sqlite_utils.Database, email: str) -> list[Customer]:
    return _customers_where(
        db, "id in (select customer_id from customer_emails where email_lower = ?)", [email.strip().lower()]
    )


def customers_by_account(db: sqlite_utils.Database, account: str) -> list[Customer]:
    return _customers_where(db, "account_number = ?", [account.strip().upper()])


def account_of(db: sqlite_utils.Database, customer_id: str) -> Account | None:
    rows = _select(db, "select * from accounts where customer_id = ? limit 1", [customer_id])
    return Account.model_validate(_bools(dict(rows[0]), "autopay")) if rows else None


def orders_of(db: sqlite_utils.Database, customer_id: str, limit: int = 20) -> list[Order]:
    sql = "select * from orders where customer_id = ? order by placed_at desc, id desc limit ?"
    return [Order.model_validate(row) for row in _select(db, sql, [customer_id, limit])]


def _interaction(row: dict[str, Any], *, with_transcript: bool = False) -> Interaction:
    """Lists (a screen pop's history) say how long a transcript is; `interaction()` gives it whole."""
    row = dict(row)
    for field in ("transfer_path", "transcript", "private_notes"):
        row[field] = json.loads(row.get(field) or "[]")
    row["transcript_count"] = len(row["transcript"])
    if not with_transcript:
        row["transcript"] = []
    return Interaction.model_validate(row)


def interaction(db: sqlite_utils.Database, interaction_id: str) -> Interaction | None:
    rows = _select(db, "select * from interactions where id = ?", [interaction_id])
    return _with_supervision(db, _interaction(rows[0], with_transcript=True)) if rows else None


def _with_supervision(db: sqlite_utils.Database, interaction: Interaction) -> Interaction:
    if interaction.contact_id is None:
        return interaction
    contact_id = interaction.contact_id
    return interaction.model_copy(
        update={"supervision": supervision_of(db, contact_id), "evaluations": evaluations_of(db, contact_id)}
    )


def evaluations_of(db: sqlite_utils.Database, contact_id: str) -> list[EvaluationRecord]:
    rows = db.conn.execute("select data from evaluations where contact_id = ? order by id", [contact_id])
    return [EvaluationRecord.model_validate_json(row[0]) for row in rows]


def evaluation_record(db: sqlite_utils.Database, evaluation_id: str) -> EvaluationRecord | None:
    row = db.conn.execute("select data from evaluations where evaluation_id = ?", [evaluation_id]).fetchone()
    return EvaluationRecord.model_validate_json(row[0]) if row else None


def insert_evaluation(db: sqlite_utils.Database, entry: EvaluationRecord) -> None:
    db.conn.execute(
        "insert into evaluations values (?, ?, ?, ?)",
        [entry.id, entry.evaluation_id, entry.contact_id, entry.model_dump_json()],
    )


def supervision_of(db: sqlite_utils.Database, contact_id: str) -> list[Supervision]:
    sql = "select * from supervision where contact_id = ? order by at, id"
    return [Supervision.model_validate(row) for row in _select(db, sql, [contact_id])]


def insert_supervision(db: sqlite_utils.Database, entry: Supervision) -> None:
    row = entry.model_dump(mode="json")
    row["at"], row["created_at"] = stamp(entry.at), stamp(entry.created_at)
    insert_rows(db, "supervision", [row])


def interactions_of(db: sqlite_utils.Database, customer_id: str, limit: int | None = None) -> list[Interaction]:
    sql = "select * from interactions where customer_id = ? order by created_at desc, id desc"
    params: list[Any] = [customer_id]
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    return [_interaction(row) for row in _select(db, sql, params)]


def unattributed_interactions(db: sqlite_utils.Database, contact_id: str | None, limit: int) -> list[Interaction]:
    """Interactions written with no customer (a withheld caller), newest first."""
    sql = "select * from interactions where customer_id is null"
    params: list[Any] = []
    if contact_id is not None:
        sql += " and contact_id = ?"
        params.append(contact_id)
    sql += " order by created_at desc, id desc limit ?"
    return [_interaction(row) for row in _select(db, sql, [*params, limit])]


def interactions_of_contact(db: sqlite_utils.Database, contact_id: str, limit: int) -> list[Interaction]:
    sql = "select * from interactions where contact_id = ? order by created_at desc, id desc limit ?"
    return [_with_supervision(db, _interaction(row)) for row in _select(db, sql, [contact_id, limit])]


def customers_named(db: sqlite_utils.Database, words: str, limit: int) -> list[Customer]:
    """Customers whose name contains every word of `words` (any case), by name. A scan: for searching
    by hand during a contact, not for the screen pop."""
    terms = words.lower().split()
    if not terms:
        return []
    condition = " and ".join("instr(lower(name), ?) > 0" for _ in terms)
    sql = f"select * from customers where {condition} order by name, id limit ?"
    return [_customer(row) for row in _select(db, sql, [*terms, limit])]


def _case(db: sqlite_utils.Database, row: dict[str, Any]) -> Case:
    linked = db.execute("select contact_id from case_contacts where case_id = ? order by linked_at", [row["id"]])
    return Case.model_validate({**row, "contact_ids": [contact for (contact,) in linked]})


def cases_of(db: sqlite_utils.Database, customer_id: str) -> list[Case]:
    sql = f"select * from cases where customer_id = ? order by {CASE_STATUS_ORDER}, opened_at desc, id desc"
    return [_case(db, row) for row in _select(db, sql, [customer_id])]


def get_case(db: sqlite_utils.Database, case_id: str) -> Case | None:
    rows = _select(db, "select * from cases where id = ?", [case_id])
    return _case(db, rows[0]) if rows else None


def insert_case(db: sqlite_utils.Database, case: Case) -> None:
    row = case.model_dump(mode="json", exclude={"contact_ids"})
    row["opened_at"] = stamp(case.opened_at)
    insert_rows(db, "cases", [row])
    for contact_id in case.contact_ids:
        link_case(db, case.id, contact_id, case.opened_at)


def link_case(db: sqlite_utils.Database, case_id: str, contact_id: str, when: datetime) -> None:
    db.conn.execute(
        "insert or ignore into case_contacts (case_id, contact_id, linked_at) values (?, ?, ?)",
        [case_id, contact_id, stamp(when)],
    )


def set_consent(db: sqlite_utils.Database, customer_id: str, field: str, value: bool | None) -> None:
    """One consent field of the customer (`consent_sms`, `consent_marketing`, `consent_recording`)."""
    if field not in ("consent_sms", "consent_marketing", "consent_recording"):
        raise ValueError(f"not a consent field: {field}")
    db.conn.execute(f"update customers set {field} = ? where id = ?", [value, customer_id])  # noqa: S608 (a known name)


def insert_note(db: sqlite_utils.Database, note: Note) -> None:
    row = note.model_dump(mode="json")
    row["created_at"] = stamp(note.created_at)
    insert_rows(db, "notes", [row])


def notes_of(db: sqlite_utils.Database, customer_id: str) -> list[Note]:
    sql = "select * from notes where customer_id = ? order by created_at desc, id desc"
    return [Note.model_validate(row) for row in _select(db, sql, [customer_id])]


def interaction_row(interaction: Interaction) -> dict[str, Any]:
    row = interaction.model_dump(mode="json")
    for field in ("offered_at", "answered_at", "ended_at", "created_at"):
        value = getattr(interaction, field)
        row[field] = stamp(value) if value is not None else None
    row["transfer_path"] = json.dumps(interaction.transfer_path)
    del row["transcript_count"]  # the length of `transcript`, not stored apart
    del row["supervision"]  # its own table, by contact: written by the supervisor's desk
    del row["evaluations"]  # the same
    row["transcript"] = json.dumps(row["transcript"]) if interaction.transcript else None
    row["private_notes"] = json.dumps(interaction.private_notes) if interaction.private_notes else None
    return row


def insert_interaction(db: sqlite_utils.Database, interaction: Interaction) -> None:
    insert_rows(db, "interactions", [interaction_row(interaction)])


def find_idempotency_key(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    rows = _select(db, "select * from idempotency_keys where key = ?", [key])
    return rows[0] if rows else None


def remember_answer(db: sqlite_utils.Database, key: str, request_hash: str, status_code: int, body: str) -> None:
    insert_rows(
        db,
        "idempotency_keys",
        [{"key": key, "request_hash": request_hash, "status_code": status_code, "response_json": body}],
    )
