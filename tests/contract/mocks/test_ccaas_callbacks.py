"""Callbacks: a waiting caller keeps their place, is dialled by the agent who takes it, retried, or given up on.

On the engine (virtual clock, SQLite on disk so that a restart can be checked) and once over HTTP.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.core import CALLBACK_FAILED_DISPOSITION, RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, Channel, ContactState, Queue
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database
from tests.contract.mocks.test_ccaas_api import client, go_available, new_contact, pending_offer
from tests.support.narrowing import present

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUEUE = Queue(
    id="billing",
    name="Billing",
    skills=["billing"],
    dispositions=["Done"],
    callback_offer_after_s=30,
    callback_retry_s=60,
    callback_max_attempts=2,
)


class Floor:
    def __init__(self, folder: Path, answer_pct: float) -> None:
        self.folder, self.answer_pct = folder, answer_pct
        self.clock = ManualClock(START)
        self.engine = self._engine(fresh=True)
        agent = Agent(id="a-1", name="A1", state=AgentState.OFFLINE, state_since=START, proficiency={"billing": 3})
        self.engine.seed([QUEUE], [agent])

    def _engine(self, *, fresh: bool) -> Engine:
        db = open_database(self.folder, "ccaas", fresh=fresh)
        return Engine(
            Store(db),
            EventLog(db, self.clock),
            self.clock,
            monotonic=self.clock.monotonic,
            offer_timeout_s=600,
            far_end=RandomFarEnd(random.Random(0), self.answer_pct),
        )

    def restart(self) -> None:
        self.engine = self._engine(fresh=False)
        self.engine.load()

    def wait(self, seconds: float) -> None:
        self.clock.advance_to(self.clock.elapsed + seconds)
        self.engine.tick()

    def offered(self) -> str | None:
        offers = self.engine.read.pending_offers("a-1")
        return offers[0].contact.id if offers else None


def test_a_caller_past_the_threshold_keeps_their_place_and_is_called_back(tmp_path: Path) -> None:
    floor = Floor(tmp_path, answer_pct=100)
    engine = floor.engine
    caller = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100", "Refund request")
    floor.wait(10)
    with pytest.raises(Conflict) as early:
        engine.callbacks.request_callback(caller.id)
    assert early.value.state == ContactState.QUEUED
    assert "after 30 s" in str(early.value)
    floor.wait(25)
    later = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550101")
    callback = engine.callbacks.request_callback(caller.id)
    assert (present(callback).state, callback.direction, present(callback.callback).state) == (
        ContactState.QUEUED,
        "outbound",
        "waiting",
    )
    assert (present(callback.callback).number, present(callback.callback).reason) == ("+12125550100", "Refund request")
    stats = {s.queue_id: s for s in engine.queue_stats()}["billing"]
    assert (stats.callbacks_pending, stats.oldest_callback_s, stats.waiting) == (1, 0.0, 2)

    engine.agents.set_agent_state("a-1", AgentState.AVAILABLE)
    assert floor.offered() == caller.id  # its place: before the caller who came later
    dialling = engine.contacts.accept(engine.read.pending_offers("a-1")[0].id)
    assert (present(dialling.callback).state, present(dialling.callback).attempts, dialling.answered_at) == (
        "dialling",
        1,
        None,
    )
    with pytest.raises(Conflict, match="dialling"):
        engine.contacts.hold(caller.id)
    floor.wait(10)
    answered = engine.read.contact(caller.id)
    assert present(answered.callback).state == "answered"
    assert answered.answered_at is not None
    assert engine.read.agent("a-1").state == AgentState.BUSY
    engine.contacts.end(caller.id)
    assert engine.contacts.complete(caller.id, "Done").state == ContactState.COMPLETED
    assert floor.offered() == later.id


def test_no_answer_is_retried_after_the_delay_then_given_up_with_a_disposition_across_a_restart(tmp_path: Path) -> None:
    floor = Floor(tmp_path, answer_pct=0)
    caller = floor.engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    floor.wait(31)
    floor.engine.callbacks.request_callback(caller.id, number="+12125550199", reason="Wants a refund")
    floor.engine.agents.set_agent_state("a-1", AgentState.AVAILABLE)
    floor.engine.contacts.accept(floor.engine.read.pending_offers("a-1")[0].id)
    floor.wait(10)
    missed = floor.engine.read.contact(caller.id)
    assert (present(missed).state, present(missed.callback).state, present(missed.callback).attempts) == (
        ContactState.QUEUED,
        "no_answer",
        1,
    )
    assert present(missed.callback).retry_at is not None
    assert floor.engine.read.agent("a-1").state == AgentState.AVAILABLE  # the agent is free, not missed
    assert floor.offered() is None  # not before the retry delay

    floor.restart()  # the pending retry survives a restart
    again = floor.engine.read.contact(caller.id)
    assert present(again.callback).state == "no_answer"
    assert present(again.callback).retry_at == present(missed.callback).retry_at
    floor.wait(30)
    assert floor.offered() is None
    floor.wait(31)
    assert floor.offered() == caller.id
    floor.engine.contacts.accept(floor.engine.read.pending_offers("a-1")[0].id)
    floor.wait(10)
    failed = floor.engine.read.contact(caller.id)
    assert (present(failed).state, present(failed.callback).state, present(failed.callback).attempts) == (
        ContactState.COMPLETED,
        "failed",
        2,
    )
    assert failed.disposition == CALLBACK_FAILED_DISPOSITION
    assert floor.engine.read.contacts_in_hand("a-1") == []
    assert {s.queue_id: s for s in floor.engine.queue_stats()}["billing"].callbacks_pending == 0


def test_a_callback_is_for_a_waiting_voice_caller_of_a_queue_that_offers_them(tmp_path: Path) -> None:
    floor = Floor(tmp_path, answer_pct=100)
    chat = floor.engine.arrivals.create_contact("billing", Channel.CHAT, "kim@example.com")
    floor.wait(31)
    with pytest.raises(Conflict, match="voice"):
        floor.engine.callbacks.request_callback(chat.id)
    floor.engine.supervisor.update_queue("billing", callbacks={"callback_offer_after_s": None})  # type: ignore[dict-item]
    voice = floor.engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    floor.wait(31)
    with pytest.raises(Conflict, match="offers no callbacks"):
        floor.engine.callbacks.request_callback(voice.id)


def test_callbacks_over_http(mock_settings: MockSettings) -> None:
    from agent_desktop_mocks.ccaas.api.app import create_app
    from agent_desktop_mocks.common.runner import serve_in_thread

    running = serve_in_thread([create_app(mock_settings.model_copy(update={"callback_answer_pct": 100}))])
    try:
        with client(running.urls[0], DEMO_SUPERVISOR_TOKEN) as supervisor:
            assert supervisor.patch("/v1/queues/billing", json={"callback_offer_after_s": 0}).status_code == 200
            caller = new_contact(supervisor)
            response = supervisor.post(f"/v1/contacts/{caller['id']}/callback", json={"reason": "Call me"})
            assert response.status_code == 200, response.text
            assert response.json()["callback"]["state"] == "waiting"
            assert response.json()["direction"] == "outbound"
            twice = supervisor.post(f"/v1/contacts/{caller['id']}/callback", json={})
            assert twice.status_code == 409
            assert twice.json()["state"] == "queued"
            stats = {s["queue_id"]: s for s in supervisor.get("/v1/queues/stats").json()}
            assert stats["billing"]["callbacks_pending"] == 1
            go_available(supervisor, "agent-001")
            offer = pending_offer(supervisor, "agent-001")
            assert offer["contact"]["callback"]["reason"] == "Call me"
            with client(running.urls[0]) as agent:
                accepted = agent.post(f"/v1/offers/{offer['id']}/accept").json()
                assert accepted["callback"]["state"] == "dialling"
                assert agent.post(f"/v1/contacts/{caller['id']}/hold").status_code == 409
            with httpx.Client(base_url=running.urls[0]) as anonymous:
                assert anonymous.post(f"/v1/contacts/{caller['id']}/callback", json={}).status_code == 401
    finally:
        running.stop()
