"""The mock contact center's callbacks an agent owns (scheduled/service.py), on its own engine and a clock the test
steps: offered to the owner at its time and never before; held for the owner while they are busy and offered the
moment they are free; sent to the queue, for anyone, once the expiry passes or when the owner lets the offer go;
kept over a restart. Hypothesis: whatever the times, nothing is offered before it is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel, ContactState
from agent_desktop_mocks.ccaas.scheduled.schemas import CallbackSchedule, ScheduledCallback
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.common.clock import ManualClock
from tests.support.in_process.stepped_time import SteppedTime

START = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # the night the clocks go forward in Europe
EXPIRY_S = 300.0
PHONE = "+12125550100"


class Floor:
    def __init__(self, data_dir: Path, *, fresh: bool = True) -> None:
        settings = MockSettings(
            data_dir=data_dir, seed=7, customers=20, simulator=False, fresh=fresh, owned_callback_expiry_s=EXPIRY_S
        )
        self.clock = ManualClock(START)
        self.app: FastAPI = create_app(settings, clock=self.clock)
        self.engine = self.app.state.engine
        self.callbacks = self.app.state.scheduled_callbacks
        self.time = SteppedTime(self.clock, self.engine, self.app.state.scheduler)

    def handled(self) -> str:
        """A call the demo agent took and completed: the callback's contact; the agent left available."""
        engine = self.engine
        engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
        contact = engine.arrivals.create_contact("billing", Channel.VOICE, PHONE, "Refund")
        engine.contacts.accept(engine.read.pending_offers(DEMO_AGENT_ID)[0].id)
        engine.contacts.end(contact.id)
        engine.contacts.complete(contact.id, "Resolved")
        engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
        contact_id: str = contact.id
        return contact_id

    def schedule(self, contact_id: str, in_s: float) -> ScheduledCallback:
        due = self.clock.now() + timedelta(seconds=in_s)
        request = CallbackSchedule(contact_id=contact_id, due_at=due, time_zone="Europe/Paris", note="Refund status")
        scheduled: ScheduledCallback = self.callbacks.schedule(DEMO_AGENT_ID, request)
        return scheduled

    def state(self, callback_id: str) -> str:
        state: str = next(c.state for c in self.callbacks.of_agent(DEMO_AGENT_ID) if c.id == callback_id)
        return state

    def close(self) -> None:
        self.app.state.db.close()


def test_offered_to_its_owner_at_its_time_and_done_when_taken(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    callback = floor.schedule(floor.handled(), 120)
    floor.time.advance(119)
    assert floor.engine.read.pending_offers(DEMO_AGENT_ID) == []
    assert floor.state(callback.id) == "scheduled"
    floor.time.advance(1)
    (offer,) = floor.engine.read.pending_offers(DEMO_AGENT_ID)
    assert offer.contact.callback is not None
    assert offer.contact.callback.number == PHONE
    assert offer.contact.subject == "Refund status"
    assert offer.offered_at == callback.due_at
    assert floor.state(callback.id) == "offered"
    floor.engine.contacts.accept(offer.id)
    assert floor.state(callback.id) == "done"
    floor.close()


def test_held_for_a_busy_owner_then_offered_the_moment_they_are_free(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    callback = floor.schedule(floor.handled(), 60)
    floor.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.NOT_READY, "Break")
    floor.time.advance(200)
    assert floor.state(callback.id) == "scheduled"
    assert floor.engine.read.pending_offers(DEMO_AGENT_ID) == []
    floor.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
    floor.time.advance(0)
    assert floor.state(callback.id) == "offered", "offered as soon as the owner is free, within the expiry"
    floor.close()


def test_gone_to_the_queue_when_the_owner_is_not_free_within_the_expiry(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    callback = floor.schedule(floor.handled(), 60)
    floor.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.NOT_READY, "Break")
    floor.time.advance(60 + EXPIRY_S - 1)
    assert floor.state(callback.id) == "scheduled"
    floor.time.advance(1)
    assert floor.state(callback.id) == "queued"
    (row,) = floor.callbacks.of_agent(DEMO_AGENT_ID)
    contact = floor.engine.read.contact(row.callback_contact_id)
    assert contact.state == ContactState.QUEUED
    assert contact.callback is not None
    floor.close()


def test_an_offer_the_owner_lets_go_goes_to_the_queue(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    callback = floor.schedule(floor.handled(), 30)
    floor.time.advance(30)
    (offer,) = floor.engine.read.pending_offers(DEMO_AGENT_ID)
    floor.engine.offers.reject(offer.id)
    assert floor.state(callback.id) == "queued"
    floor.close()


def test_kept_over_a_restart(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    callback = floor.schedule(floor.handled(), 600)
    floor.close()
    again = Floor(tmp_path, fresh=False)
    assert [c.id for c in again.callbacks.of_agent(DEMO_AGENT_ID)] == [callback.id]
    again.close()


@settings(max_examples=15)
@given(due_s=st.floats(1, 3600), steps=st.lists(st.floats(0.5, 900), min_size=1, max_size=6))
def test_never_offered_before_its_time(
    tmp_path_factory: pytest.TempPathFactory, due_s: float, steps: list[float]
) -> None:
    floor = Floor(tmp_path_factory.mktemp("never-early"))
    callback = floor.schedule(floor.handled(), due_s)
    for step in steps:
        floor.time.advance(step)
        (row,) = floor.callbacks.of_agent(DEMO_AGENT_ID)
        if floor.clock.now() < callback.due_at:
            assert floor.engine.read.pending_offers(DEMO_AGENT_ID) == []
            assert row.state == "scheduled"
        else:  # made at its time (offered then; the offer may have lapsed since, sending it to the queue)
            assert row.state in ("offered", "queued")
            assert floor.engine.read.contact(row.callback_contact_id).entered_queue_at == callback.due_at
            break
    floor.close()
