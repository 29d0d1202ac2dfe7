"""Deterministic demo data for the CRM: one customer per simulated caller, with history and cases.

Everything comes from `settings.seed` and is dated relative to the clock, so a
frozen clock and the same seed give byte-identical data.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils
from faker import Faker

from mock_backends.crm.schemas import Customer
from mock_backends.crm.store import customer_rows, insert_rows, stamp
from mock_backends.demo_people import callers

_LANGUAGES = (["en", "es", "fr", "de"], [70, 18, 7, 5])
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
        "Sale": [
            "Upgraded the customer to the unlimited data plan.",
            "Added a second line with a new handset on a 24-month plan.",
        ],
        "Follow-up": [
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


def _pick(rng: random.Random, choices: tuple[list[str], list[int]]) -> str:
    return rng.choices(choices[0], weights=choices[1])[0]


def _interaction(rng: random.Random, now: datetime, customer_id: str, days_ago: float) -> dict[str, Any]:
    channel = _pick(rng, _CHANNELS)
    outbound_share = {"voice": 0.15, "email": 0.1}.get(channel, 0.0)
    queue = rng.choice(list(_OUTCOMES))
    disposition = rng.choice(list(_OUTCOMES[queue]))
    (answer_min, answer_max), (handle_min, handle_max) = _TIMINGS[channel]
    offered = now - timedelta(days=days_ago)
    answered = offered + timedelta(seconds=rng.randint(answer_min, answer_max))
    ended = answered + timedelta(seconds=rng.randint(handle_min, handle_max))
    created = ended + timedelta(seconds=rng.randint(10, 180))
    return {
        "customer_id": customer_id,
        "contact_id": None,
        "channel": channel,
        "direction": "outbound" if rng.random() < outbound_share else "inbound",
        "agent_id": rng.choice(_AGENTS),
        "queue_id": queue,
        "offered_at": stamp(offered),
        "answered_at": stamp(answered),
        "ended_at": stamp(ended),
        "disposition": disposition,
        "notes": rng.choice(_OUTCOMES[queue][disposition]),
        "created_at": stamp(created),
    }


def _case(rng: random.Random, now: datetime, customer_id: str, owners: list[str]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "subject": rng.choice(_CASE_SUBJECTS),
        "status": _pick(rng, _CASE_STATUSES),
        "priority": _pick(rng, _CASE_PRIORITIES),
        "owner": rng.choice(owners),
        "opened_at": stamp(now - timedelta(days=rng.uniform(0.5, 180))),
    }


def seed(db: sqlite_utils.Database, *, seed: int, customers: int, now: datetime) -> None:
    """Fill empty tables with `customers` customers (the callers of `demo_people`)."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(f"crm-staff:{seed}")  # not the callers' stream: owners are not customers
    owners = [fake.name() for _ in range(8)]
    account_numbers: set[str] = set()
    customer_table, phone_table, email_table, interactions, cases = [], [], [], [], []
    for caller in callers(seed, customers):
        customer_id = f"cus-{caller.index + 1:06d}"
        phones = [caller.phone_e164]
        if rng.random() < 0.25:
            area = _MOBILE_AREA_CODES[caller.index % len(_MOBILE_AREA_CODES)]
            phones.append(f"+1{area}{5550100 + caller.index // len(_MOBILE_AREA_CODES)}")
        account = f"ACC-{rng.randrange(10_000_000, 100_000_000)}"
        while account in account_numbers:
            account = f"ACC-{rng.randrange(10_000_000, 100_000_000)}"
        account_numbers.add(account)
        customer = Customer(
            id=customer_id,
            name=caller.name,
            phones=phones,
            emails=[caller.email],
            account_number=account,
            language=_pick(rng, _LANGUAGES),
            tier=_pick(rng, _TIERS),
            consent_marketing=rng.random() < 0.55,
            notes=rng.choice(_CUSTOMER_NOTES) if rng.random() < 0.3 else None,
        )
        row, phone_rows, email_rows = customer_rows(customer)
        customer_table.append(row)
        phone_table += phone_rows
        email_table += email_rows
        # oldest first, so ids grow with time for each customer
        count = rng.choices(range(7), weights=[15, 25, 20, 15, 10, 8, 7])[0]
        for days_ago in sorted((rng.uniform(0.5, 180) for _ in range(count)), reverse=True):
            interactions.append(_interaction(rng, now, customer_id, days_ago))
        for _ in range(rng.choices(range(3), weights=[55, 30, 15])[0]):
            cases.append(_case(rng, now, customer_id, owners))
    for number, row in enumerate(interactions, start=1):
        row["id"] = f"int-{number:06d}"
    for number, row in enumerate(cases, start=1):
        row["id"] = f"case-{number:06d}"
    with db.conn:
        insert_rows(db, "customers", customer_table)
        insert_rows(db, "customer_phones", phone_table)
        insert_rows(db, "customer_emails", email_table)
        insert_rows(db, "interactions", interactions)
        insert_rows(db, "cases", cases)
