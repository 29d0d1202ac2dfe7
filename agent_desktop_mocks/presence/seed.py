"""Deterministic directory for the presence server: experts across six departments.

Departments go round-robin over the first six people, so every department (and
the queue skills billing, tech_support and sales) is in any directory of six or more.
"""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils
from faker import Faker

from agent_desktop_mocks.presence.schemas import Activity, Availability

# department -> (titles, core skills, optional extra skills)
DEPARTMENTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "Billing": (
        ["Billing Specialist", "Senior Billing Analyst", "Billing Team Lead"],
        ["billing"],
        ["refunds", "payment_plans", "retention"],
    ),
    "Technical Support": (
        ["Support Engineer", "Senior Support Engineer", "Tier 2 Technician"],
        ["tech_support"],
        ["networking", "devices", "fiber", "voicemail"],
    ),
    "Sales": (
        ["Account Executive", "Sales Engineer", "Business Sales Manager"],
        ["sales"],
        ["business_plans", "devices", "retention"],
    ),
    "Retention": (
        ["Retention Specialist", "Loyalty Advisor", "Retention Team Lead"],
        ["retention"],
        ["billing", "sales", "refunds"],
    ),
    "Fraud": (
        ["Fraud Investigator", "Fraud Analyst", "Identity Verification Lead"],
        ["fraud"],
        ["billing", "sim_swap", "identity"],
    ),
    "Network Operations": (
        ["Network Engineer", "NOC Analyst", "Outage Coordinator"],
        ["networking"],
        ["tech_support", "fiber", "outages"],
    ),
}
_LANGUAGE_SKILLS = {"es": "spanish", "fr": "french", "de": "german"}
_TIME_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London"]
# (availability, activity, weight) of people's presence when the directory is created
_STARTING_PRESENCE = [
    (Availability.AVAILABLE, Activity.AVAILABLE, 40),
    (Availability.AVAILABLE_IDLE, Activity.INACTIVE, 5),
    (Availability.BUSY, Activity.IN_A_CALL, 18),
    (Availability.BUSY, Activity.IN_A_MEETING, 12),
    (Availability.BE_RIGHT_BACK, Activity.BE_RIGHT_BACK, 5),
    (Availability.AWAY, Activity.AWAY, 5),
    (Availability.DO_NOT_DISTURB, Activity.PRESENTING, 5),
    (Availability.OFFLINE, Activity.OFF_WORK, 10),
]
_STATUS_MESSAGES = [
    "Ask me about roaming charges",
    "Covering the fraud queue today",
    "Training new hires until 2 pm",
    "Happy to take consults",
    "Back-to-back meetings this morning",
]


def _address(name: str, taken: set[str]) -> str:
    first, _, last = name.lower().partition(" ")
    local = f"{re.sub('[^a-z]', '', first)}.{re.sub('[^a-z]', '', last)}"
    address, n = f"sip:{local}@example.com", 2
    while address in taken:
        address, n = f"sip:{local}{n}@example.com", n + 1
    taken.add(address)
    return address


def _person(rng: random.Random, fake: Faker, index: int, now: datetime, taken: set[str]) -> dict[str, Any]:
    department = list(DEPARTMENTS)[index] if index < len(DEPARTMENTS) else rng.choice(list(DEPARTMENTS))
    titles, core, extra = DEPARTMENTS[department]
    languages = ["en"] + [code for code in _LANGUAGE_SKILLS if rng.random() < 0.2]
    skills = core + rng.sample(extra, rng.randint(1, 2)) + [_LANGUAGE_SKILLS[code] for code in languages[1:]]
    availability, activity, _ = rng.choices(_STARTING_PRESENCE, weights=[w for *_, w in _STARTING_PRESENCE])[0]
    name = f"{fake.first_name()} {fake.last_name()}"
    return {
        "id": f"p-{index + 1:04d}",
        "name": name,
        "title": rng.choice(titles),
        "department": department,
        "skills": json.dumps(list(dict.fromkeys(skills))),
        "languages": json.dumps(languages),
        "time_zone": rng.choice(_TIME_ZONES),
        "address": _address(name, taken),
        "availability": availability.value,
        "activity": activity.value,
        "status_message": rng.choice(_STATUS_MESSAGES) if rng.random() < 0.2 else None,
        "changed_at": (now - timedelta(minutes=rng.randint(1, 240))).isoformat(),
    }


def seed(db: sqlite_utils.Database, *, seed: int, experts: int, now: datetime) -> None:
    # Seeded apart from the CRM's callers, so experts are not also customers.
    rng = random.Random(f"presence:{seed}")
    fake = Faker("en_US")
    fake.seed_instance(f"presence:{seed}")
    taken: set[str] = set()
    rows = [_person(rng, fake, index, now, taken) for index in range(experts)]
    if rows:
        db.table("people").insert_all(rows)
