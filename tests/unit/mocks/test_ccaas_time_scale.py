"""The mocks' time knob (`time_scale`) on the engine: protocol timers run that many times faster, and the
deadlines the API shows are when they really fire, so a test at 10x proves the same transitions."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlite_utils

from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, Channel, ContactState, OfferState
from agent_desktop_mocks.ccaas.shell.engine import ACW_TIMEOUT_DISPOSITION, Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from tests.unit.mocks.test_ccaas_routing_rules import QUEUES, START

TIME_SCALE = 10.0


def fast_engine() -> tuple[Engine, ManualClock]:
    clock = ManualClock(START)
    db = sqlite_utils.Database(memory=True)
    engine = Engine(
        Store(db),
        EventLog(db, clock),
        clock,
        offer_timeout_s=15,
        monotonic=clock.monotonic,
        time_scale=TIME_SCALE,
        far_end=RandomFarEnd(random.Random(0)),
    )
    agent = Agent(id="a-1", name="A1", state=AgentState.OFFLINE, state_since=START, proficiency={"billing": 5})
    engine.seed([q.model_copy(update={"acw_timeout_s": 60}) for q in QUEUES], [agent])
    engine.agents.set_agent_state("a-1", AgentState.AVAILABLE)
    return engine, clock


def at(engine: Engine, clock: ManualClock, elapsed: float) -> None:
    clock.advance_to(elapsed)
    engine.tick()


def test_an_offer_times_out_after_its_timeout_divided_by_the_scale() -> None:
    engine, clock = fast_engine()
    engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
    (offer,) = engine.read.pending_offers("a-1")
    assert offer.expires_at - offer.offered_at == timedelta(seconds=1.5)  # 15 s of the mock's time
    at(engine, clock, 1.4)
    assert engine.read.offer(offer.id).state == OfferState.PENDING
    at(engine, clock, 1.6)
    assert engine.read.offer(offer.id).state == OfferState.EXPIRED
    assert engine.read.agent("a-1").state == AgentState.MISSED


def test_acw_times_out_after_the_queues_timeout_divided_by_the_scale() -> None:
    engine, clock = fast_engine()
    contact = engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
    engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
    ended = engine.contacts.end(contact.id)
    assert ended.acw_deadline == clock.now() + timedelta(seconds=6)  # 60 s of the mock's time
    at(engine, clock, 5.9)
    assert engine.read.contact(contact.id).state == ContactState.AFTER_CONTACT_WORK
    at(engine, clock, 6.1)
    done = engine.read.contact(contact.id)
    assert (done.state, done.disposition) == (ContactState.COMPLETED, ACW_TIMEOUT_DISPOSITION)
