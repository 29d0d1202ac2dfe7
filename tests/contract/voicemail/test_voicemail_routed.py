"""Voicemail as routed work at the mock contact center (docs/voice.md "Voicemail"): a caller who chooses to leave a
message, or waits past the queue's limit, keeps their place; the message is offered as a call with its length, its
transcript and the caller's number, each offer counted; its audio is the agent's it is offered to, refused in words
to anyone else. On the engine (a stepped clock, SQLite on disk for a restart) and over HTTP."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, Channel, ContactState, Queue
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database
from tests.contract.mocks.test_ccaas_api import agent, client, go_available, new_contact, supervisor
from tests.support.conversation_rig import accept
from tests.support.narrowing import present

__all__ = ["agent", "supervisor"]  # the mock's demo agent and supervisor, as fixtures

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUEUE = Queue(id="billing", name="Billing", skills=["billing"], dispositions=["Done"], voicemail_after_s=120)


class Floor:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.clock = ManualClock(START)
        self.engine = self._engine(fresh=True)
        agents = [
            Agent(id=f"a-{n}", name=f"A{n}", state=AgentState.OFFLINE, state_since=START, proficiency={"billing": 3})
            for n in (1, 2)
        ]
        self.engine.seed([QUEUE], agents)

    def _engine(self, *, fresh: bool) -> Engine:
        db = open_database(self.folder, "ccaas", fresh=fresh)
        return Engine(
            Store(db),
            EventLog(db, self.clock),
            self.clock,
            monotonic=self.clock.monotonic,
            offer_timeout_s=30,
            far_end=RandomFarEnd(random.Random(0), 100),
        )

    def restart(self) -> None:
        self.engine = self._engine(fresh=False)
        self.engine.load()

    def wait(self, seconds: float) -> None:
        self.clock.advance_to(self.clock.elapsed + seconds)
        self.engine.tick()


def test_a_caller_past_the_queues_limit_leaves_a_message_offered_with_attempts_counted(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    engine = floor.engine
    caller = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100", "Charged twice for my order")
    floor.wait(119)
    assert engine.read.contact(caller.id).voicemail is None, "not before the queue's limit"
    later = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550101")
    floor.restart()  # the caller's wait, and its limit, survive a restart
    engine = floor.engine
    floor.wait(2)
    left = present(engine.read.contact(caller.id).voicemail)
    assert (left.number, left.why, left.transcript, left.cut) == (
        "+12125550100",
        "waited",
        ["Charged twice for my order"],
        False,
    )
    assert 2 < left.seconds < 3, "five words at the scripts' pace"
    assert engine.read.contact(caller.id).state == ContactState.QUEUED

    floor.restart()  # the message and its place survive a restart
    engine = floor.engine
    assert engine.read.contact(later.id).voicemail is None, "the later caller has not waited long enough"
    engine.agents.set_agent_state("a-1", AgentState.AVAILABLE)
    (offer,) = engine.read.pending_offers("a-1")
    assert offer.contact.id == caller.id, "its place: before the caller who came later"
    assert present(offer.contact.voicemail).attempts == 1
    engine.offers.reject(offer.id)
    engine.agents.set_agent_state("a-2", AgentState.AVAILABLE)
    (again,) = engine.read.pending_offers("a-2")
    assert (again.contact.id, present(again.contact.voicemail).attempts) == (caller.id, 2)
    in_hand = engine.contacts.accept(again.id)
    assert (in_hand.state, present(in_hand.voicemail).transcript) == (ContactState.CONNECTED, left.transcript)
    engine.contacts.end(caller.id)
    assert engine.contacts.complete(caller.id, "Done").state == ContactState.COMPLETED


def test_a_message_is_left_once_by_a_caller_still_waiting(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    engine = floor.engine
    caller = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    chat = engine.arrivals.create_contact("billing", Channel.CHAT, "ann@example.com")
    engine.voicemails.leave(caller.id, ["Please call me back about my bill"])
    with pytest.raises(Conflict, match="already chose a message"):
        engine.voicemails.leave(caller.id, ["again"])
    with pytest.raises(Conflict, match="left a message"):
        engine.callbacks.request_callback(caller.id)  # found by the routing state machine: both, once
    with pytest.raises(Conflict, match="not chat"):
        engine.voicemails.leave(chat.id, ["hello"])
    floor.wait(200)
    assert present(engine.read.contact(caller.id).voicemail).why == "chosen", "the limit does not leave a second"


def test_the_caller_leaves_a_message_over_http_and_its_audio_is_refused_in_words(
    ccaas_url: str, agent: httpx.Client, supervisor: httpx.Client
) -> None:
    assert supervisor.patch("/v1/queues/billing", json={"voicemail_max_s": 5}).status_code == 200
    caller = new_contact(supervisor, channel="voice", from_address="+12125550100", subject="Refund")
    hour = ["I was charged twice for my order and I want one of them back"] * 300
    left = supervisor.post(f"/v1/contacts/{caller['id']}/voicemail", json={"lines": hour})
    assert left.status_code == 200, left.text
    message = left.json()["voicemail"]
    assert (message["cut"], message["max_s"], message["number"], message["attempts"]) == (True, 5, "+12125550100", 0)
    assert message["seconds"] <= 5
    assert message["transcript"] == ["I was charged twice for my order and I want one"], "the words said before the cut"
    assert supervisor.post(f"/v1/contacts/{caller['id']}/voicemail", json={"lines": []}).status_code == 409
    waiting = agent.get(f"/v1/contacts/{caller['id']}/voicemail/audio")
    assert (waiting.status_code, waiting.json()["detail"]) == (
        409,
        f"contact {caller['id']} is queued: a message is heard by the agent it is offered to",
    )

    go_available(agent)
    offered = accept(agent)
    assert (offered["id"], offered["voicemail"]["attempts"], offered["state"]) == (caller["id"], 1, "connected")
    no_audio = agent.get(f"/v1/contacts/{caller['id']}/voicemail/audio")
    assert no_audio.status_code == 404, no_audio.text
    assert no_audio.json()["detail"] == f"contact {caller['id']}'s message was left with no audio"
    with client(ccaas_url, "agent-002-token") as other:
        refused = other.get(f"/v1/contacts/{caller['id']}/voicemail/audio")
        assert refused.status_code == 403
        assert refused.json()["detail"] == "a message is heard by the agent it is offered to"
    chat = new_contact(supervisor, channel="chat", from_address="ann@example.com")
    assert supervisor.post(f"/v1/contacts/{chat['id']}/voicemail", json={}).status_code == 409
    not_one = supervisor.get(f"/v1/contacts/{chat['id']}/voicemail/audio")
    assert (not_one.status_code, not_one.json()["detail"]) == (404, f"contact {chat['id']} is no voicemail")
    assert supervisor.get("/v1/contacts/c-999999/voicemail/audio").status_code == 404
