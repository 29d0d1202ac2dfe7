"""The Zendesk mock's phone search through its index of reversed digits finds exactly what reading every
customer's numbers finds (the guide: the digits as stored, `*` in front for the numbers that end in them), and
a file from before the index gets its numbers indexed when it is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.schemas import Customer
from agent_desktop_mocks.crm.store import digits
from agent_desktop_mocks.zendesk.users_store import _by_phone

written = st.text(alphabet="0123456789+-() ", min_size=1, max_size=14)


def _database(phones_by_customer: list[list[str]]) -> sqlite_utils.Database:
    db = sqlite_utils.Database(sqlite3.connect(":memory:"))
    store.create_tables(db)
    store.create_indexes(db)
    for number, phones in enumerate(phones_by_customer, start=1):
        store.insert_customer(db, Customer(id=f"cus-{number:06d}", name=f"Customer {number}", phones=phones))
    return db


def _scanned(phones_by_customer: list[list[str]], wanted: str) -> list[str]:
    """What the search means, read off every customer's numbers."""
    wildcard, number = wanted.startswith("*"), wanted.removeprefix("*")
    return [
        f"cus-{index:06d}"
        for index, phones in enumerate(phones_by_customer, start=1)
        if any(digits(p) == number or (wildcard and digits(p).endswith(number)) for p in phones)
    ]


@given(
    phones_by_customer=st.lists(st.lists(written, max_size=3), min_size=1, max_size=8),
    query=st.text(alphabet="0123456789", min_size=1, max_size=6),
    wildcard=st.booleans(),
    pick=st.integers(min_value=0),
)
def test_the_index_finds_what_reading_every_number_finds(
    phones_by_customer: list[list[str]], query: str, wildcard: bool, pick: int
) -> None:
    every = [digits(p) for phones in phones_by_customer for p in phones if digits(p)]
    if every and pick % 2:  # half the time the digits (or the end) of a number that is there
        held = every[pick % len(every)]
        query = held[-(pick % len(held)) - 1 :] if wildcard else held
    wanted = f"*{query}" if wildcard else query
    db = _database(phones_by_customer)
    assert [c.id for c in _by_phone(db, wanted)] == _scanned(phones_by_customer, wanted)


def test_a_file_from_before_the_index_has_its_numbers_found(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    db.conn.executescript(  # the phones table as files made before the index have it
        "create table customer_phones (e164 text, customer_id text);"
        "insert into customer_phones values ('+15125550100', 'cus-000001');"
    )
    store.create_tables(db)
    # the filled column is in the file: another connection (a second server on it) reads it
    assert sqlite3.connect(path).execute("select digits_reversed from customer_phones").fetchall() == [("00105552151",)]
    store.create_indexes(db)
    db.conn.execute(
        "insert into customers (id, name, phones, emails) values ('cus-000001', 'Old', ?, '[]')", ['["+15125550100"]']
    )
    assert [c.id for c in _by_phone(db, "*5550100")] == ["cus-000001"]
    assert [c.id for c in _by_phone(db, "15125550100")] == ["cus-000001"]
