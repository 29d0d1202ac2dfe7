"""The conversations follow the routing engine after its commit: a conversation that fails to take a change in
never undoes the routing change, and catches up from the event log (on a retry, on the engine's next change, or
at the next start)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import pytest
from fastapi import FastAPI

from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.conversations.timeline import CATCH_UP_RETRY_S
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel, Contact, ContactState
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC, Engine, agent_topic
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.stepped_time import SteppedTime
from tests.support.narrowing import present

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KNOWN_PHONE = "+12125550100"
AGENT = Principal(f"{DEMO_AGENT_ID}-token", "agent", DEMO_AGENT_ID)


@dataclass
class Mocks:
    app: FastAPI
    clock: ManualClock
    time: SteppedTime

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.state.engine
        return engine

    @property
    def service(self) -> ConversationService:
        service: ConversationService = self.app.state.conversations.service
        return service

    def chat(self) -> Contact:
        """A chat offered to the demo agent."""
        if self.engine.read.agent(DEMO_AGENT_ID).state == AgentState.OFFLINE:
            self.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
        return self.engine.arrivals.create_contact("billing", Channel.CHAT, KNOWN_PHONE, "Charged twice this month")

    def kinds(self, contact_id: str) -> list[str]:
        """The transcript's items but messages: what the conversation took in of the contact's life."""
        items, _ = self.service.store.page(contact_id, None, 500)
        return [item.kind for item in items if item.kind != "message"]

    def customer_lines(self, contact_id: str) -> list[str]:
        items, _ = self.service.store.page(contact_id, None, 500)
        return [item.text for item in items if item.role == "customer" and item.kind == "message"]

    def pushed(self, topic: str, type_: str) -> int:
        return len(self.app.state.event_log.stored(topic, type_, 0))


def build(folder: Path, *, fresh: bool = True, clock: ManualClock | None = None) -> Mocks:
    settings = MockSettings(data_dir=folder, seed=7, customers=60, simulator=False, speed=40.0, fresh=fresh)
    clock = clock or ManualClock(START)
    app = create_app(settings, clock=clock)
    return Mocks(app, clock, SteppedTime(clock, app.state.engine, app.state.scheduler))


@pytest.fixture
def mocks(tmp_path: Path) -> Iterator[Mocks]:
    built = build(tmp_path)
    try:
        yield built
    finally:
        built.app.state.db.close()


def fail_once(monkeypatch: pytest.MonkeyPatch, target: object, name: str) -> list[int]:
    """`target.name` raises the first time it is called, then is itself again; returns the calls seen."""
    real = getattr(target, name)
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug in the conversations")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)
    return calls


def test_a_conversation_failing_to_join_leaves_the_accept_standing_and_catches_up(
    mocks: Mocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    contact = mocks.chat()
    (offer,) = mocks.engine.read.pending_offers(DEMO_AGENT_ID)
    calls = fail_once(monkeypatch, mocks.service.core.lifecycle, "joined")

    accepted = mocks.engine.contacts.accept(offer.id)

    assert calls
    assert accepted.state == ContactState.CONNECTED
    stored = {c.id: c for c in mocks.engine.contacts_since(START)}  # committed: the store has it
    assert stored[contact.id].state == ContactState.CONNECTED
    assert mocks.engine.read.contact(contact.id).state == ContactState.CONNECTED
    assert mocks.engine.read.agent(DEMO_AGENT_ID).state == AgentState.BUSY
    assert present(mocks.service.store.get(contact.id)).agent_id is None  # the conversation has not taken it in
    assert "participant_joined" not in mocks.kinds(contact.id)
    assert mocks.pushed(agent_topic(DEMO_AGENT_ID), "participant_joined") == 0  # nothing half-published

    mocks.time.advance(CATCH_UP_RETRY_S)

    assert present(mocks.service.store.get(contact.id)).agent_id == DEMO_AGENT_ID
    assert mocks.kinds(contact.id).count("participant_joined") == 1
    assert mocks.pushed(agent_topic(DEMO_AGENT_ID), "participant_joined") == 1
    said = mocks.customer_lines(contact.id)
    mocks.app.state.conversations.send(contact.id, AGENT, "Could you verify your email address?", None, None)
    mocks.time.advance(10)
    assert len(mocks.customer_lines(contact.id)) > len(said)  # the customer's answer arrives


def test_the_engines_next_change_brings_a_conversation_that_failed_to_open_up_to_date(
    mocks: Mocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_once(monkeypatch, mocks.service.core.lifecycle, "open")
    contact = mocks.chat()
    assert mocks.engine.read.contact(contact.id).state == ContactState.OFFERED  # routed all the same
    assert mocks.service.store.get(contact.id) is None

    (offer,) = mocks.engine.read.pending_offers(DEMO_AGENT_ID)
    mocks.engine.contacts.accept(offer.id)  # no time passes: the engine's next change is the occasion

    record = mocks.service.store.get(contact.id)
    assert record is not None
    assert record.agent_id == DEMO_AGENT_ID
    assert mocks.customer_lines(contact.id)  # the opening message
    assert mocks.kinds(contact.id) == ["participant_joined"]
    assert not mocks.service.behind


def test_a_failure_that_keeps_failing_holds_the_conversations_back_not_the_routing(
    mocks: Mocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("a bug in the conversations")

    monkeypatch.setattr(mocks.service, "contact_changed", broken)
    contact = mocks.chat()
    (offer,) = mocks.engine.read.pending_offers(DEMO_AGENT_ID)
    mocks.engine.contacts.accept(offer.id)
    mocks.time.advance(5 * CATCH_UP_RETRY_S)  # retries fail too
    mocks.engine.contacts.end(contact.id)

    assert mocks.engine.read.contact(contact.id).state == ContactState.AFTER_CONTACT_WORK
    assert mocks.pushed(SUPERVISOR_TOPIC, "contact") >= 4  # queued/offered, connected, ended: all published
    assert mocks.service.store.get(contact.id) is None
    assert mocks.service.behind

    monkeypatch.undo()
    mocks.time.advance(CATCH_UP_RETRY_S)

    assert mocks.kinds(contact.id) == ["participant_joined", "conversation_ended"]
    assert present(mocks.service.store.get(contact.id)).ended_reason == "agent_ended"


def test_a_restart_replays_what_the_conversations_missed_and_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mocks = build(tmp_path)
    followed = mocks.chat()
    mocks.engine.contacts.accept(mocks.engine.read.pending_offers(DEMO_AGENT_ID)[0].id)
    before = mocks.kinds(followed.id)
    missed = mocks.chat()  # a second chat: the agent has room for it
    (offer,) = mocks.engine.read.pending_offers(DEMO_AGENT_ID)
    monkeypatch.setattr(
        mocks.service.core.lifecycle, "joined", lambda *args: (_ for _ in ()).throw(RuntimeError("bug"))
    )
    mocks.engine.contacts.accept(offer.id)
    assert present(mocks.service.store.get(missed.id)).agent_id is None
    mocks.app.state.db.close()  # the server stops before the conversations caught up

    again = build(tmp_path, fresh=False, clock=mocks.clock)
    try:
        record = again.service.store.get(missed.id)
        assert record is not None
        assert record.agent_id == DEMO_AGENT_ID
        assert again.kinds(missed.id) == ["participant_joined"]
        assert again.kinds(followed.id) == before  # taken in before the stop: not again
        assert again.pushed(agent_topic(DEMO_AGENT_ID), "participant_joined") == 2
        said = again.customer_lines(missed.id)
        again.app.state.conversations.send(missed.id, AGENT, "Could you verify your email address?", None, None)
        again.time.advance(10)
        assert len(again.customer_lines(missed.id)) > len(said)
    finally:
        again.app.state.db.close()
