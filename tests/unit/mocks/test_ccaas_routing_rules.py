"""The routing rules one by one, on the engine (virtual clock, SQLite in memory)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import sqlite_utils

from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    Agent,
    AgentState,
    AttachedData,
    Channel,
    PriorityRule,
    Queue,
    Target,
)
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from tests.support.narrowing import present

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUEUES = [
    Queue(id="vip", name="VIP", skills=["billing"], priority=5, min_proficiency={"billing": 4}, dispositions=["Done"]),
    Queue(id="billing", name="Billing", skills=["billing"], priority=1, dispositions=["Done"]),
]


def engine_with(*levels: int) -> tuple[Engine, ManualClock]:
    clock = ManualClock(START)
    db = sqlite_utils.Database(memory=True)
    engine = Engine(
        Store(db),
        EventLog(db, clock),
        clock,
        offer_timeout_s=15,
        monotonic=clock.monotonic,
        far_end=RandomFarEnd(random.Random(0)),
    )
    agents = [
        Agent(id=f"a-{i}", name=f"A{i}", state=AgentState.OFFLINE, state_since=START, proficiency={"billing": level})
        for i, level in enumerate(levels, start=1)
    ]
    engine.seed(QUEUES, agents)
    return engine, clock


def go(engine: Engine, clock: ManualClock, agent_id: str) -> None:
    clock.advance_to(clock.elapsed + 1)
    engine.agents.set_agent_state(agent_id, AgentState.AVAILABLE)


def offered(engine: Engine, agent_id: str) -> str | None:
    offers = engine.read.pending_offers(agent_id)
    return offers[0].contact.id if offers else None


def test_queue_priority_then_contact_priority_then_first_in() -> None:
    engine, clock = engine_with(5)
    first = engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
    urgent = engine.arrivals.create_contact("billing", Channel.CHAT, "b@example.com", priority=2)
    vip = engine.arrivals.create_contact("vip", Channel.CHAT, "c@example.com")
    later = engine.arrivals.create_contact("billing", Channel.CHAT, "d@example.com")
    go(engine, clock, "a-1")
    order = []
    for _ in range(4):
        contact_id = present(offered(engine, "a-1"))
        order.append(contact_id)
        engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
        engine.contacts.end(contact_id)
        engine.contacts.complete(contact_id, "Done")
    assert order == [vip.id, urgent.id, first.id, later.id]


def test_minimum_proficiency_and_longest_idle() -> None:
    engine, clock = engine_with(3, 4, 5)
    for agent_id in ("a-1", "a-3", "a-2"):  # a-1 idle the longest, then a-3, then a-2
        go(engine, clock, agent_id)
    vip = engine.arrivals.create_contact("vip", Channel.VOICE, "+12125550100")
    assert offered(engine, "a-1") is None
    assert offered(engine, "a-3") == vip.id  # a-1 is below level 4
    plain = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550101")
    assert offered(engine, "a-1") == plain.id


def test_voice_is_exclusive_and_chats_share() -> None:
    engine, clock = engine_with(3)
    go(engine, clock, "a-1")
    chat = engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
    engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
    call = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    assert offered(engine, "a-1") is None  # a chat in hand: no call
    email = engine.arrivals.create_contact("billing", Channel.EMAIL, "e@example.com")
    assert offered(engine, "a-1") == email.id  # other digital channels do combine
    engine.offers.reject(engine.read.pending_offers("a-1")[0].id)
    engine.agents.set_agent_state("a-1", AgentState.AVAILABLE)  # back from missed, the chat still in hand
    assert offered(engine, "a-1") is None  # the rejected email is tried on other agents first
    clock.advance_to(clock.elapsed + 16)  # nobody else took it within an offer timeout (15 s)
    engine.tick()
    assert offered(engine, "a-1") == email.id  # offered again: the call still cannot be
    engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
    for contact in (chat, email):
        engine.contacts.end(contact.id)
        engine.contacts.complete(contact.id, "Done")
    assert offered(engine, "a-1") == call.id  # the hand is empty at last
    engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
    engine.arrivals.create_contact("billing", Channel.CHAT, "z@example.com")
    assert offered(engine, "a-1") is None  # a call in hand: nothing else


def test_a_contact_transferred_to_a_queue_does_not_bounce_back() -> None:
    engine, clock = engine_with(3, 3)
    go(engine, clock, "a-1")
    contact = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
    engine.transfers.transfer(contact.id, Target(kind="queue", id="billing"))
    assert offered(engine, "a-1") is None
    assert engine.read.contact(contact.id).state == "queued"
    go(engine, clock, "a-2")
    assert offered(engine, "a-2") == contact.id


def test_customer_value_raises_priority_by_the_largest_matching_rule() -> None:
    """Platinum +3, Gold +1, VIP +2, verified Gold +2: a caller gets the largest raise they match."""
    rules = [
        PriorityRule(tier="Platinum", raise_by=3),
        PriorityRule(tier="Gold", raise_by=1),
        PriorityRule(vip=True, raise_by=2),
        PriorityRule(tier="Gold", verified=True, raise_by=2),
    ]
    engine, clock = engine_with(5)
    engine.supervisor.update_queue("billing", priority_rules=rules)  # a supervisor's setting (PATCH /v1/queues/billing)
    plain = engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
    gold = engine.arrivals.create_contact("billing", Channel.CHAT, "b@example.com", attached=AttachedData(tier="gold"))
    platinum = engine.arrivals.create_contact(
        "billing", Channel.CHAT, "c@example.com", attached=AttachedData(tier="Platinum")
    )
    vip = engine.arrivals.create_contact("billing", Channel.CHAT, "d@example.com", attached=AttachedData(vip=True))
    gold_checked = engine.arrivals.create_contact(
        "billing", Channel.CHAT, "e@example.com", attached=AttachedData(tier="Gold", verified=True)
    )
    urgent_plain = engine.arrivals.create_contact("billing", Channel.CHAT, "f@example.com", priority=2)
    assert [c.priority for c in (plain, gold, platinum, vip, gold_checked, urgent_plain)] == [0, 1, 3, 2, 2, 2]
    go(engine, clock, "a-1")
    order = []
    for _ in range(6):
        contact_id = present(offered(engine, "a-1"))
        order.append(contact_id)
        engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
        engine.contacts.end(contact_id)
        engine.contacts.complete(contact_id, "Done")
    # higher priority first; equal priorities first in
    assert order == [platinum.id, vip.id, gold_checked.id, urgent_plain.id, gold.id, plain.id]


def test_a_queue_without_rules_ignores_customer_value() -> None:
    engine, clock = engine_with(5)
    first = engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
    platinum = engine.arrivals.create_contact(
        "billing", Channel.CHAT, "c@example.com", attached=AttachedData(tier="Platinum")
    )
    assert platinum.priority == 0
    go(engine, clock, "a-1")
    assert offered(engine, "a-1") == first.id
