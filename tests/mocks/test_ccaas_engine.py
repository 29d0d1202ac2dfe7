"""The routing engine's invariants under any sequence of requests (Hypothesis state machine, no HTTP)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mock_backends.ccaas import seed
from mock_backends.ccaas.engine import Conflict, Engine, Invalid
from mock_backends.ccaas.schemas import AgentState, Channel, ContactState
from mock_backends.ccaas.store import Store
from mock_backends.common.clock import Clock
from mock_backends.common.event_log import EventLog
from mock_backends.common.storage import open_database

AGENT_IDS = ["agent-001", *(f"agent-{n:03d}" for n in range(2, 8))]
QUEUE_IDS = [q.id for q in seed.QUEUES]
REQUESTABLE = [AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE]


class Routing(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="ccaas-engine-"))
        self.now = 0.0
        self.engine = self._engine(fresh=True)
        clock_now = Clock().now()
        self.engine.seed(seed.QUEUES, [seed.demo_agent(clock_now), *seed.simulated_agents(1, clock_now)])

    def _engine(self, *, fresh: bool) -> Engine:
        db = open_database(self.dir, "ccaas", fresh=fresh)
        clock = Clock()
        return Engine(Store(db), EventLog(db, clock), clock, offer_timeout_s=5, monotonic=lambda: self.now)

    def teardown(self) -> None:
        # everything that matters survives a restart
        reloaded = self._engine(fresh=False)
        reloaded.load()
        assert [a.model_dump() for a in reloaded.agents()] == [a.model_dump() for a in self.engine.agents()]
        assert [c.id for c in reloaded.queued_contacts()] == [c.id for c in self.engine.queued_contacts()]
        shutil.rmtree(self.dir, ignore_errors=True)

    def _contacts(self, *states: ContactState) -> list[str]:
        return sorted(c.id for c in self.engine._contacts.values() if c.state in states)

    def _offers(self) -> list[str]:
        return sorted(self.engine._offers)

    @rule(
        agent=st.sampled_from(AGENT_IDS),
        state=st.sampled_from(REQUESTABLE),
        reason=st.sampled_from([None, "Break", "Nap"]),
    )
    def set_state(self, agent, state, reason):
        try:
            self.engine.set_agent_state(agent, state, reason)
        except (Conflict, Invalid):
            pass

    @rule(queue=st.sampled_from(QUEUE_IDS), channel=st.sampled_from(list(Channel)))
    def arrive(self, queue, channel):
        self.engine.create_contact(queue, channel, "+12125550100")

    @rule(data=st.data(), accept=st.booleans())
    def answer(self, data, accept):
        if offers := self._offers():
            offer = data.draw(st.sampled_from(offers))
            (self.engine.accept if accept else self.engine.reject)(offer)

    @rule(data=st.data())
    def end(self, data):
        if contacts := self._contacts(ContactState.CONNECTED):
            self.engine.end(data.draw(st.sampled_from(contacts)))

    @rule(data=st.data(), good=st.booleans())
    def complete(self, data, good):
        if contacts := self._contacts(ContactState.AFTER_CONTACT_WORK):
            contact = self.engine.contact(data.draw(st.sampled_from(contacts)))
            disposition = self.engine.queue(contact.queue_id).dispositions[0] if good else "Nope"
            try:
                self.engine.complete(contact.id, disposition)
            except Invalid:
                assert not good

    @rule(data=st.data())
    def abandon(self, data):
        if contacts := self._contacts(ContactState.QUEUED):
            self.engine.abandon(data.draw(st.sampled_from(contacts)))

    @rule(seconds=st.floats(0, 8))
    def time_passes(self, seconds):
        self.now += seconds
        self.engine.tick()

    @invariant()
    def offers_agents_and_contacts_agree(self):
        engine = self.engine
        pending_by_agent: dict[str, int] = {}
        for offer in engine._offers.values():
            pending_by_agent[offer.agent_id] = pending_by_agent.get(offer.agent_id, 0) + 1
            contact = engine.contact(offer.contact_id)
            assert (contact.state, contact.agent_id) == (ContactState.OFFERED, offer.agent_id)
        for agent in engine.agents():
            in_hand = [c.state for c in engine.contacts_in_hand(agent.id)]
            assert pending_by_agent.get(agent.id, 0) == (1 if agent.state == AgentState.OFFERED else 0)
            if agent.state == AgentState.BUSY:
                assert in_hand == [ContactState.CONNECTED]
            elif agent.state == AgentState.AFTER_CONTACT_WORK:
                assert in_hand == [ContactState.AFTER_CONTACT_WORK]
            else:
                assert in_hand == []

    @invariant()
    def nobody_routable_is_left_idle(self):
        available = [a for a in self.engine.agents() if a.state == AgentState.AVAILABLE]
        for contact in self.engine.queued_contacts():
            assert contact.agent_id is None
            skills = set(self.engine.queue(contact.queue_id).skills)
            assert not [a.id for a in available if skills <= set(a.skills)], contact.id


TestRouting = Routing.TestCase
TestRouting.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
