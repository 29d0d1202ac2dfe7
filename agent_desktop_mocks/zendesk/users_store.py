"""The Zendesk mock's users beyond the CRM's customers, and how Zendesk's search finds them.

- A user's external id (one per user; matched without regard to case, as Create Or Update User says).
- When a user was made through the API: the search index lags new users ("It can take up to a few minutes
  for new tickets, users, and other resources to be indexed for search", Search API reference), so searches
  find them only `search_lag_s` later, while direct reads (show, show_many, external_id) see them at once.
- Phones as written: Zendesk keeps the number it is given (E.164 only where the account validates phone
  numbers). A phone query matches by digits: exactly, or, with a leading `*`, any number written with more
  in front (Talk Partner Edition: "To specify a phone number in different formats, add a leading *") or the
  same number once both are normalised to E.164 (`*+14155550117` finds `(415) 555-0117`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
import sqlite_utils

from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.phones import DEFAULT_REGION, looks_like_email, normalise_phone
from agent_desktop_mocks.crm.schemas import Customer
from agent_desktop_mocks.zendesk import records

NAME_MATCHES = 100
SQL_TERMS = 20  # a name's words asked of the database at once (SQLite bounds a statement's variables)
NAME_SCAN = 100_000
_TABLES = """
create table if not exists zendesk_user_external_ids (external_id text primary key, customer_id text);
create table if not exists zendesk_users_created (customer_id text primary key, created_at text);
"""


def create_tables(db: sqlite_utils.Database) -> None:
    db.conn.executescript(_TABLES)


# --- external ids and creation times ----------------------------------------------------------------------


def owner_of_external_id(db: sqlite_utils.Database, external_id: str) -> Customer | None:
    """The user with this external id: one given through the API, else a seeded customer's (its CRM id)."""
    row = db.execute(
        "select customer_id from zendesk_user_external_ids where lower(external_id) = lower(?)", [external_id]
    ).fetchone()
    if row is not None:
        return store.get_customer(db, row[0])
    if db.execute("select 1 from zendesk_user_external_ids where customer_id = ?", [external_id]).fetchone():
        return None  # that customer's external id was replaced: their CRM id is not it any more
    return store.get_customer(db, external_id)


def external_id_of(db: sqlite_utils.Database, customer_id: str) -> str:
    row = db.execute(
        "select external_id from zendesk_user_external_ids where customer_id = ?", [customer_id]
    ).fetchone()
    return row[0] if row else customer_id


def set_external_id(db: sqlite_utils.Database, customer_id: str, external_id: str) -> None:
    db.conn.execute("delete from zendesk_user_external_ids where customer_id = ?", [customer_id])
    db.conn.execute(
        "insert into zendesk_user_external_ids (external_id, customer_id) values (?, ?)", [external_id, customer_id]
    )


def mark_created(db: sqlite_utils.Database, customer_id: str, at: datetime) -> None:
    db.conn.execute(
        "insert or replace into zendesk_users_created (customer_id, created_at) values (?, ?)",
        [customer_id, at.isoformat()],
    )


def _created_at(db: sqlite_utils.Database, customer_id: str) -> datetime | None:
    row = db.execute("select created_at from zendesk_users_created where customer_id = ?", [customer_id]).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def user_json(db: sqlite_utils.Database, customer: Customer, base_url: str) -> dict[str, Any]:
    user = records.user_json(customer, base_url)
    user["external_id"] = external_id_of(db, customer.id)
    created = _created_at(db, customer.id)
    if created is not None:
        user["created_at"] = user["updated_at"] = records.stamp(created)
    return user


# --- writes -------------------------------------------------------------------------------------------------


def update_user(
    db: sqlite_utils.Database, customer: Customer, *, name: str, phone: str | None, email: str | None
) -> Customer:
    """Create Or Update User on an existing user: the name and phone replaced; an email they do not have yet
    becomes another identity (the primary email stays)."""
    phones = [phone, *[p for p in customer.phones[1:] if p != phone]] if phone else customer.phones
    emails = customer.emails + ([email] if email and email.lower() not in {e.lower() for e in customer.emails} else [])
    db.conn.execute(
        "update customers set name = ?, phones = ?, emails = ? where id = ?",
        [name, json.dumps(phones), json.dumps(emails), customer.id],
    )
    db.conn.execute("delete from customer_phones where customer_id = ?", [customer.id])
    db.conn.executemany(
        "insert into customer_phones (e164, customer_id, digits_reversed) values (?, ?, ?)",
        [(p, customer.id, store.digits_reversed(p)) for p in phones],
    )
    db.conn.execute("delete from customer_emails where customer_id = ?", [customer.id])
    db.conn.executemany(
        "insert into customer_emails (email_lower, customer_id) values (?, ?)",
        [(e.lower(), customer.id) for e in emails],
    )
    return store.get_customer(db, customer.id) or customer


def set_consent(db: sqlite_utils.Database, customer: Customer, user_fields: dict[str, bool]) -> Customer:
    """Update User's `user_fields` on the account's consent checkboxes (records.CONSENT_USER_FIELDS); keys the
    account does not define are left out (guessed: Zendesk keeps only the fields the account has)."""
    for key, value in user_fields.items():
        column = records.CONSENT_USER_FIELDS.get(key)
        if column is not None:
            db.conn.execute(f"update customers set {column} = ? where id = ?", [int(value), customer.id])
    return store.get_customer(db, customer.id) or customer


# --- search -------------------------------------------------------------------------------------------------


def _ids_by_digits(db: sqlite_utils.Database, number: str, *, ending: bool) -> list[str]:
    """Customers with a number whose digits are `number` (or, `ending`, end in it): a range of the index of
    reversed digits."""
    reversed_ = number[::-1]
    if ending:
        where, params = "digits_reversed >= ? and digits_reversed < ?", [reversed_, reversed_ + ":"]
    else:
        where, params = "digits_reversed = ?", [reversed_]
    rows = db.execute(f"select distinct customer_id from customer_phones where {where} order by customer_id", params)
    return [customer_id for (customer_id,) in rows.fetchall()]


def _same_number(db: sqlite_utils.Database, written: str, region: str) -> list[str]:
    """Customers with a number that is `written` in E.164 (`+14155550117` finds `(415) 555-0117`): among those
    whose digits end in its national digits, the ones that normalise to it."""
    e164 = normalise_phone(written, region)
    if e164 is None:
        return []
    national = str(phonenumbers.parse(e164).national_number)
    return [
        customer_id
        for customer_id in _ids_by_digits(db, national, ending=True)
        if any(normalise_phone(p, region) == e164 for p in (_phones_of(db, customer_id)))
    ]


def _phones_of(db: sqlite_utils.Database, customer_id: str) -> list[str]:
    customer = store.get_customer(db, customer_id)
    return customer.phones if customer else []


def _by_phone(db: sqlite_utils.Database, wanted: str, region: str = DEFAULT_REGION) -> list[Customer]:
    """`wanted` is the query's digits, `*` in front for any written form: the numbers that end in them (the guide)
    or that are the same number once both are normalised to E.164 (a `+` or a country code in the query). Without
    `*`, only the same digits; anything else in it (a `+`, spaces, dashes) matches no number."""
    wildcard = wanted.startswith("*")
    number = wanted.removeprefix("*")
    ids = _ids_by_digits(db, number, ending=wildcard) if number.isdigit() else []
    if wildcard:
        ids = sorted({*ids, *_same_number(db, number, region)})
    return [c for c in (store.get_customer(db, i) for i in ids) if c is not None]


def _matching(db: sqlite_utils.Database, query: str, region: str) -> list[Customer]:
    """`phone:`, `email:` and bare terms (an email, digits, words of a name); `type:user` and `role:end-user`
    are what every user here is; any other type or role finds nobody."""
    words: list[str] = []
    for term in query.split():
        key, colon, value = term.partition(":")
        key = key.lower()
        if colon and key == "type":
            if value.lower() != "user":
                return []
        elif colon and key == "role":
            if value.lower() != "end-user":
                return []
        elif colon and key == "phone":
            return _by_phone(db, value, region)
        elif colon and key == "email" or looks_like_email(term):
            return store.customers_by_email(db, value if colon else term)
        elif term.lstrip("*").isdigit():
            return _by_phone(db, term, region)
        else:
            words.append(term)
    return _named(db, words)


def _named(db: sqlite_utils.Database, words: list[str]) -> list[Customer]:
    """Users whose name holds every word. A query of a thousand words is served (guessed: the Search API names no
    length limit): the database is asked with the first few, the rest are checked here."""
    terms = list(dict.fromkeys(word.lower() for word in words))
    if not terms:
        return []
    asked, rest = terms[:SQL_TERMS], terms[SQL_TERMS:]
    found = store.customers_named(db, " ".join(asked), NAME_MATCHES if not rest else NAME_SCAN)
    return [c for c in found if all(t in c.name.lower() for t in rest)][:NAME_MATCHES]


def search(
    db: sqlite_utils.Database, query: str, now: datetime, lag_s: float, region: str = DEFAULT_REGION
) -> list[Customer]:
    """The users a search finds now: those made through the API less than `lag_s` ago are not indexed yet;
    `region` reads a number written without its country code."""
    indexed_before = now - timedelta(seconds=lag_s)
    return [c for c in _matching(db, query, region) if (_created_at(db, c.id) or indexed_before) <= indexed_before]
