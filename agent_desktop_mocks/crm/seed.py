"""Deterministic demo data for the CRM: one customer per simulated caller, with account,
orders, history and cases.

Everything comes from `settings.seed` and is dated relative to the clock, so a
frozen clock and the same seed give byte-identical data. Built for size: rows are
tuples generated in chunks and written with executemany in one transaction, with
Faker used only for small pools (names, streets, cities) that a seeded random draws
from, and indexes created after the load; a million customers take about a minute.
"""

from __future__ import annotations

import functools
import json
import random
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils
from faker import Faker

from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.store import stamp
from agent_desktop_mocks.crm.time_zones import zone_of_address
from agent_desktop_mocks.demo_people import LANGUAGES, callers

_LANGUAGES = ([language for language, _ in LANGUAGES], [share for _, share in LANGUAGES])  # (drawn, not written)
_TIERS = (["Standard", "Gold", "Platinum"], [70, 22, 8])
_MOBILE_AREA_CODES = ["646", "917", "213", "305"]
_CUSTOMER_NOTES = [
    "Prefers to be called after 5 pm.",
    "Hard of hearing: speak clearly and confirm details by email.",
    "Small business owner with three lines on the account.",
    "Prefers email over phone for anything non-urgent.",
    "Customer since 2009; has asked twice about loyalty discounts.",
    "Asked not to be offered upgrades.",
    "Moving house next month; service transfer pending.",
    "Escalate complaints to the team lead.",
]
_CHANNELS = (["voice", "chat", "email", "sms"], [60, 20, 12, 8])
# seconds to answer and to handle, by channel
_TIMINGS = {
    "voice": ((5, 90), (120, 1500)),
    "chat": ((10, 120), (300, 1800)),
    "email": ((600, 28800), (180, 900)),
    "sms": ((60, 1800), (120, 600)),
}
_AGENTS = [f"agent-{n:03d}" for n in range(1, 13)]
# queue -> disposition -> one-sentence notes an agent would write
_OUTCOMES: dict[str, dict[str, list[str]]] = {
    "billing": {
        "Resolved": [
            "Explained the pro-rated charge on the last bill; customer satisfied.",
            "Walked the customer through the new invoice layout.",
            "Updated the billing address and resent the invoice by email.",
        ],
        "Payment arrangement": [
            "Set up a two-part payment plan for the overdue balance.",
            "Moved the due date to the 15th to match the customer's pay cycle.",
        ],
        "Refund issued": [
            "Refunded a duplicate charge of $42.50; expect it in 3-5 business days.",
            "Credited the late fee as a one-time courtesy.",
        ],
        "Escalated": ["Disputed roaming charges escalated to the billing back office."],
    },
    "tech_support": {
        "Resolved": [
            "Rebooted the router remotely and the connection came back.",
            "Reset the voicemail PIN and confirmed the customer can log in.",
            "Moved the Wi-Fi to a less crowded channel; speeds are back to normal.",
        ],
        "Ticket opened": [
            "Intermittent drops on the fiber line; opened a network ticket.",
            "Opened a ticket for a faulty set-top box.",
        ],
        "Technician dispatched": ["Booked a technician for Thursday morning to replace the modem."],
        "Escalated": ["Outage in the customer's area escalated to network operations."],
    },
    "sales": {
        "Sale closed": [
            "Upgraded the customer to the unlimited data plan.",
            "Added a second line with a new handset on a 24-month plan.",
        ],
        "Follow-up scheduled": [
            "Sent a quote for the business bundle; call back next week.",
            "Customer is comparing offers; follow up after the weekend.",
        ],
        "No sale": [
            "Asked about fiber availability; not in their area yet.",
            "Declined the upgrade offer; happy with the current plan.",
        ],
    },
}
_CASE_SUBJECTS = [
    "Disputed roaming charges",
    "Refund for a duplicate payment",
    "Intermittent internet drops",
    "Modem replacement",
    "Number porting request",
    "Quote for the business bundle",
    "Service transfer to a new address",
    "Suspicious SIM swap request",
]
_CASE_STATUSES = (["open", "pending", "closed"], [40, 25, 35])
_CASE_PRIORITIES = (["low", "normal", "high", "urgent"], [20, 55, 20, 5])


_SEGMENTS = (["Consumer", "Small business", "Enterprise"], [78, 17, 5])
_PREFERRED: tuple[list[Any], list[int]] = (
    ["voice", "email", "sms", "chat", None],
    [35, 30, 15, 10, 10],
)  # typed: a None among the values
_CONTACT_HOURS = [None, None, None, "after 17:00", "mornings only", "weekdays 9-17", "weekends"]
_PLANS = ["Essentials 10 GB", "Unlimited 5G", "Family 4 lines", "Fiber 500", "Fiber 1 Gig", "Business Pro"]
_ACCOUNT_STATUS = (["active", "suspended", "closed"], [92, 5, 3])
_CARDS = ["Visa", "Mastercard", "Amex", "Discover"]
_ORDER_ITEMS = [
    ("iPhone 16 128 GB", 829.0),
    ("Galaxy S25", 799.0),
    ("Pixel 9a", 499.0),
    ("Wi-Fi 7 mesh router", 349.0),
    ("SIM card", 0.0),
    ("Phone case", 29.0),
    ("USB-C charger 45 W", 39.0),
    ("Set-top box", 99.0),
    ("Fiber installation", 79.0),
    ("Travel pass (10 days)", 50.0),
    ("Smartwatch LTE", 399.0),
]
_ORDER_STATUS = (["delivered", "shipped", "placed", "returned", "cancelled"], [70, 10, 8, 7, 5])
_SUMMARIES = {
    "Resolved": "Question answered on the first contact",
    "Payment arrangement": "Payment plan agreed",
    "Refund issued": "Refund or credit applied",
    "Escalated": "Escalated to a back-office team",
    "Ticket opened": "Technical ticket opened",
    "Technician dispatched": "Technician visit booked",
    "Sale closed": "New product or upgrade sold",
    "Follow-up scheduled": "Follow-up needed",
    "No sale": "Sales enquiry, no sale",
}
_CHUNK = 20_000


def _expanded(choices: tuple[list[Any], list[int]]) -> tuple[Any, ...]:
    """Each value repeated by its weight, so a weighted draw is one `rng.choice` (several times faster)."""
    return tuple(value for value, weight in zip(*choices, strict=True) for _ in range(weight))


def _pick(rng: random.Random, expanded: tuple[Any, ...]) -> Any:
    return rng.choice(expanded)


def _language(rng: random.Random, caller: Any) -> str:
    """The caller's own language (demo_people: the one their calls are in). The seed's draw of it is still made, so
    every field drawn after it stays as it was seeded."""
    _pick(rng, _LANGUAGES)
    return str(caller.language)


_LANGUAGES, _TIERS, _CHANNELS, _CASE_STATUSES, _CASE_PRIORITIES = map(
    _expanded, (_LANGUAGES, _TIERS, _CHANNELS, _CASE_STATUSES, _CASE_PRIORITIES)
)
_SEGMENTS, _PREFERRED, _ACCOUNT_STATUS, _ORDER_STATUS = map(
    _expanded, (_SEGMENTS, _PREFERRED, _ACCOUNT_STATUS, _ORDER_STATUS)
)
_ORDER_COUNTS = _expanded((list(range(5)), [30, 30, 20, 12, 8]))
_INTERACTION_COUNTS = _expanded((list(range(7)), [15, 25, 20, 15, 10, 8, 7]))
_CASE_COUNTS = _expanded((list(range(3)), [55, 30, 15]))


def _interaction(rng: random.Random, now: datetime, customer_id: str, days_ago: float) -> list[Any]:
    channel = _pick(rng, _CHANNELS)
    outbound_share = {"voice": 0.15, "email": 0.1}.get(channel, 0.0)
    queue = rng.choice(list(_OUTCOMES))
    disposition = rng.choice(list(_OUTCOMES[queue]))
    (answer_min, answer_max), (handle_min, handle_max) = _TIMINGS[channel]
    offered = now - timedelta(days=days_ago)
    answered = offered + timedelta(seconds=rng.randint(answer_min, answer_max))
    ended = answered + timedelta(seconds=rng.randint(handle_min, handle_max))
    created = ended + timedelta(seconds=rng.randint(10, 180))
    transfer_path = "[]"
    if channel in ("voice", "chat") and rng.random() < 0.12:
        transfer_path = json.dumps([rng.choice([q for q in _OUTCOMES if q != queue]), queue])
    return [
        None,  # id, numbered once all rows exist
        customer_id,
        None,
        channel,
        "outbound" if rng.random() < outbound_share else "inbound",
        rng.choice(_AGENTS),
        queue,
        stamp(offered),
        stamp(answered),
        stamp(ended),
        disposition,
        _SUMMARIES[disposition],
        rng.choice(_OUTCOMES[queue][disposition]),
        transfer_path,
        stamp(created),
    ]


class _Pools:
    """Small Faker pools the seeded random draws from (Faker per row is far too slow for 1M). Read-only once
    made, so one per seed serves every CRM a process seeds (a test process seeds hundreds)."""

    def __init__(self, seed: int) -> None:
        fake = Faker("en_US")
        fake.seed_instance(f"crm-staff:{seed}")  # not the callers' stream: owners are not customers
        self.owners = tuple(fake.name() for _ in range(8))
        self.streets = tuple(fake.street_address() for _ in range(600))
        self.cities = tuple(f"{fake.city()}, {fake.state_abbr()} {fake.zipcode()}" for _ in range(300))


@functools.cache
def _pools(seed: int) -> _Pools:
    return _Pools(seed)


def _customer_rows(
    rng: random.Random, pools: _Pools, now: datetime, caller: Any, accounts: set[str], out: dict[str, list[Any]]
) -> None:
    customer_id = f"cus-{caller.index + 1:06d}"
    phones = [caller.phone_e164]
    if rng.random() < 0.25:
        area = _MOBILE_AREA_CODES[caller.index % len(_MOBILE_AREA_CODES)]
        phones.append(f"+1{area}{5550100 + caller.index // len(_MOBILE_AREA_CODES)}")
    account = f"ACC-{rng.randrange(10_000_000, 100_000_000)}"
    while account in accounts:
        account = f"ACC-{rng.randrange(10_000_000, 100_000_000)}"
    accounts.add(account)
    consent_marketing = rng.random() < 0.55
    out["customers"].append(
        (
            customer_id,
            caller.name,
            account,
            _language(rng, caller),
            _pick(rng, _TIERS),
            _pick(rng, _SEGMENTS),
            _pick(rng, _PREFERRED),
            rng.choice(_CONTACT_HOURS),
            consent_marketing,
            consent_marketing and rng.random() < 0.7,
            rng.random() < 0.9,
            rng.random() < 0.04,
            f"{rng.choice(pools.streets)}, {(city := rng.choice(pools.cities))}",
            rng.choice(_CUSTOMER_NOTES) if rng.random() < 0.3 else None,
            json.dumps(phones),
            json.dumps([caller.email]),
            zone_of_address(city),
        )
    )
    out["customer_phones"] += [(phone, customer_id, store.digits_reversed(phone)) for phone in phones]
    out["customer_emails"].append((caller.email.lower(), customer_id))
    opened = now - timedelta(days=rng.uniform(30, 4000))
    balance = round(rng.choice([0.0, 0.0, rng.uniform(20, 180), rng.uniform(180, 900)]), 2)
    out["accounts"].append(
        (
            account,
            customer_id,
            rng.choice(_PLANS),
            _pick(rng, _ACCOUNT_STATUS),
            opened.date().isoformat(),
            balance,
            "USD",
            round(rng.uniform(25, 250), 2),
            (now + timedelta(days=rng.randint(1, 30))).date().isoformat(),
            f"{rng.choice(_CARDS)} •••• {rng.randint(0, 9999):04d}",
            rng.random() < 0.6,
        )
    )
    for _ in range(rng.choice(_ORDER_COUNTS)):
        item, price = rng.choice(_ORDER_ITEMS)
        quantity = 1 if price > 100 else rng.randint(1, 3)
        placed = now - timedelta(days=rng.uniform(1, 720))
        out["orders"].append(
            [
                None,
                customer_id,
                stamp(placed),
                item,
                quantity,
                round(price * quantity, 2),
                "USD",
                _pick(rng, _ORDER_STATUS),
            ]
        )
    # oldest first, so ids grow with time for each customer
    count = rng.choice(_INTERACTION_COUNTS)
    for days_ago in sorted((rng.uniform(0.5, 180) for _ in range(count)), reverse=True):
        out["interactions"].append(_interaction(rng, now, customer_id, days_ago))
    for _ in range(rng.choice(_CASE_COUNTS)):
        out["cases"].append(
            [
                None,
                customer_id,
                rng.choice(_CASE_SUBJECTS),
                _pick(rng, _CASE_STATUSES),
                _pick(rng, _CASE_PRIORITIES),
                rng.choice(pools.owners),
                stamp(now - timedelta(days=rng.uniform(0.5, 180))),
            ]
        )


_NUMBERED = {"orders": "ord", "interactions": "int", "cases": "case"}
_COLUMNS = {
    "customers": store.CUSTOMER_COLUMNS + store.LATER_COLUMNS["customers"],
    "customer_phones": ("e164", "customer_id", "digits_reversed"),
    "customer_emails": ("email_lower", "customer_id"),
    "accounts": store.ACCOUNT_COLUMNS,
    "orders": store.ORDER_COLUMNS,
    "interactions": store.INTERACTION_COLUMNS,
    "cases": store.CASE_COLUMNS,
}


def seed(db: sqlite_utils.Database, *, seed: int, customers: int, now: datetime) -> None:
    """Fill empty tables with `customers` customers (the callers of `demo_people`), then index them."""
    rng = random.Random(seed)
    pools = _pools(seed)
    accounts: set[str] = set()
    numbers = dict.fromkeys(_NUMBERED, 0)
    people = callers(seed, customers)
    db.execute("PRAGMA synchronous=OFF")  # one big transaction: all of it lands, or a fresh seed runs again
    try:
        with db.conn:
            for start in range(0, customers, _CHUNK):
                out: dict[str, list[Any]] = {table: [] for table in _COLUMNS}  # table → its rows of SQL values
                for index in range(start, min(start + _CHUNK, customers)):
                    _customer_rows(rng, pools, now, people[index], accounts, out)
                for table, prefix in _NUMBERED.items():
                    for row in out[table]:
                        numbers[table] += 1
                        row[0] = f"{prefix}-{numbers[table]:06d}"
                for table, rows in out.items():
                    store.insert_tuples(db, table, _COLUMNS[table], rows)
            store.create_indexes(db)
        db.execute("analyze")  # so the planner knows the phone and email indexes are near-unique
    finally:
        db.execute("PRAGMA synchronous=NORMAL")
