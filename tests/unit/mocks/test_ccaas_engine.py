"""The routing engine's invariants under any sequence of requests (Hypothesis state machine, no HTTP).

Checked after every step: no contact is with two agents; a contact that reached a terminal state
stays in that one; no agent exceeds a channel's capacity (and voice stays exclusive); arrived =
waiting + offered + in progress + completed + abandoned; offers, contacts and derived agent states
agree; nobody routable is left idle while a contact they may take waits (a callback waiting for
its retry excepted); a contact's priority is the one asked for plus its queue's largest matching
raise from its attached data; a callback is dialled at most its maximum number of times and is
never abandoned; one being dialled is connected in its agent's hand. A `restart` rule
stops the engine at any point and starts a new one on the same SQLite data, which must show the
same floor (pending offers get a fresh timeout) and carry on; at the end the state survives a
reload too, and draining the floor leaves every contact in exactly one terminal state.

The far end (who answers a callback's dial, when a consult leg is picked up) is injected: the machine runs with
the mock's own (a seeded rng), with one where nobody answers and with one where everyone answers at once.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from agent_desktop_mocks.ccaas.core import FarEnd, RandomFarEnd, priority_raise
from agent_desktop_mocks.ccaas.core.domain_events import DomainEvent, OfferMade
from agent_desktop_mocks.ccaas.core.far_end import AlwaysAnswers, NeverAnswers
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    IN_HAND,
    TALKING,
    TERMINAL,
    AgentState,
    AttachedData,
    Channel,
    Contact,
    ContactState,
    Target,
)
from agent_desktop_mocks.ccaas.shell.engine import ACW_TIMEOUT_DISPOSITION, Conflict, Engine, Invalid
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.tables import seed
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database
from tests.support.hypothesis_profiles import examples
from tests.support.narrowing import present

AGENT_IDS = ["agent-001", *(f"agent-{n:03d}" for n in range(2, 8))]
QUEUE_IDS = [q.id for q in seed.demo_queues()]
REQUESTABLE = [AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE]
# short ACW timeouts so that they fire within a run; one queue without
# (and callbacks offered at once or after 5 s, retried after 15 s: all within a run; a message left after 20 s of
# waiting in the last queue, cut at 3 s)
QUEUES = [
    q.model_copy(update={"acw_timeout_s": t, "callback_offer_after_s": c, "callback_retry_s": 15, **v})
    for q, t, c, v in zip(
        seed.demo_queues(),
        [6, 15, None],
        [0, 5, None],
        [{}, {}, {"voicemail_after_s": 20, "voicemail_max_s": 3}],
        strict=True,
    )
]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Routing(RuleBasedStateMachine):
    far_end: FarEnd | None = None  # None: the mock's own, new for each engine (a seeded rng; half the dials answered)
    stats_oracle = False  # the figures worked out from scratch too (test_ccaas_queue_figures.py)

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="ccaas-engine-"))
        self.clock = ManualClock(START)
        self.engine = self._engine(fresh=True)
        agents = [seed.demo_agent(START), *seed.simulated_agents(1, START)]
        agents[1] = agents[1].model_copy(update={"capacity": {"voice": 0, "chat": 2, "email": 1, "sms": 1}})
        agents[2] = agents[2].model_copy(update={"capacity": {"voice": 1, "chat": 1, "email": 1, "sms": 1}})
        self.engine.seed(QUEUES, agents)
        for agent_id in AGENT_IDS[:4]:  # a floor already signed in: routing happens from the first step
            self.engine.agents.set_agent_state(agent_id, AgentState.AVAILABLE)
        self.arrived = 0
        self.terminal: dict[str, ContactState] = {}
        self.asked: dict[str, int] = {}  # contact id → the priority asked for
        self.ended_how: dict[str, str] = {}  # contact id → who ended the agent's part: what the history will say
        self.message_offers: Counter[str] = Counter()  # contact id → offers made of it since its message was left

    def _engine(self, *, fresh: bool) -> Engine:
        db = open_database(self.dir, "ccaas", fresh=fresh)
        events = EventLog(db, self.clock)
        engine = Engine(
            Store(db),
            events,
            self.clock,
            offer_timeout_s=5,
            monotonic=self.clock.monotonic,
            far_end=self.far_end or RandomFarEnd(random.Random(0), answer_pct=50),
            stats_oracle=self.stats_oracle,
        )
        engine.listen(self._heard_offers)
        return engine

    def _heard_offers(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, OfferMade) and event.offer.contact.voicemail is not None:
                self.message_offers[event.offer.contact.id] += 1

    @rule(data=st.data(), words=st.integers(0, 30))
    def leave_a_message(self, data: st.DataObject, words: int) -> None:
        if contacts := sorted(c.id for c in self.engine.read.queued_contacts()):
            contact_id = data.draw(st.sampled_from(contacts))
            try:
                self.engine.voicemails.leave(contact_id, [" ".join(["refund"] * words)])
            except Conflict as refused:
                contact = self.engine.read.contact(contact_id)
                chose = contact.callback is not None or contact.voicemail is not None
                assert contact.channel != Channel.VOICE or chose, str(refused)

    @invariant()
    def a_message_counts_its_offers_and_keeps_to_its_length(self) -> None:
        for contact in self.engine.read.contacts():
            message = contact.voicemail
            if message is not None:
                assert contact.callback is None, f"{contact.id}: a message and a callback both"
                assert message.attempts == self.message_offers[contact.id], contact.id
                assert message.seconds <= message.max_s, contact.id

    def teardown(self) -> None:
        try:
            # everything that matters survives a restart
            reloaded = self._engine(fresh=False)
            reloaded.load()
            assert [a.model_dump() for a in reloaded.read.agents()] == [
                a.model_dump() for a in self.engine.read.agents()
            ]
            assert [c.id for c in reloaded.read.queued_contacts()] == [c.id for c in self.engine.read.queued_contacts()]
            assert {c.id: c.model_dump() for c in reloaded.read.contacts()} == {
                c.id: c.model_dump() for c in self.engine.read.contacts()
            }
            chosen = {a: self.engine.read.chosen_state(a) for a in AGENT_IDS}
            assert {a: reloaded.read.chosen_state(a) for a in AGENT_IDS} == chosen
            # drain the floor: every contact ends in exactly one terminal state
            for _ in range(50):
                open_ = [c for c in self.engine.read.contacts() if c.state not in TERMINAL]
                if not open_:
                    break
                for contact in open_:
                    if contact.state in (ContactState.QUEUED, ContactState.OFFERED):
                        self.engine.arrivals.abandon(contact.id)
                    elif contact.state in TALKING and _dialling(contact):
                        self.clock.advance_to(self.clock.elapsed + 10)  # the customer answers or not
                        self.engine.tick()
                    elif contact.state in TALKING:
                        self.engine.contacts.end(contact.id)
                    elif contact.state == ContactState.AFTER_CONTACT_WORK:
                        self.engine.contacts.complete(contact.id, ACW_TIMEOUT_DISPOSITION)
                self.check_every_contact_once()
            states = Counter(c.state for c in self.engine.read.contacts())
            assert set(states) <= TERMINAL
            assert sum(states.values()) == self.arrived
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _contacts(self, *states: ContactState) -> list[str]:
        return sorted(c.id for c in self.engine.read.contacts() if c.state in states)

    def _offers(self) -> list[str]:
        return [offer.id for offer in self.engine.read.all_pending_offers()]

    # --- rules ------------------------------------------------------------------------

    @rule(
        agent=st.sampled_from(AGENT_IDS),
        state=st.sampled_from(REQUESTABLE),
        reason=st.sampled_from([None, "Break", "Nap"]),
        supervisor=st.booleans(),
    )
    def set_state(self, agent: str, state: AgentState, reason: str | None, supervisor: bool) -> None:
        with contextlib.suppress(Conflict, Invalid):
            self.engine.agents.set_agent_state(agent, state, reason, by_supervisor=supervisor)

    @rule(
        agent=st.sampled_from(AGENT_IDS),
        state=st.sampled_from([None, *REQUESTABLE]),
        reason=st.sampled_from([None, "Lunch", "Nap"]),
    )
    def next_state(self, agent: str, state: AgentState, reason: str | None) -> None:
        with contextlib.suppress(Conflict, Invalid):
            self.engine.agents.set_next_state(agent, state, reason)

    @rule(
        queue=st.sampled_from(QUEUE_IDS),
        channel=st.sampled_from([Channel.CHAT, Channel.VOICE, *Channel]),
        priority=st.integers(0, 2),
        count=st.integers(1, 4),
        tier=st.sampled_from([None, "Standard", "Gold", "Platinum"]),
        vip=st.booleans(),
    )
    def arrive(self, queue: str, channel: Channel, priority: int, count: int, tier: str | None, vip: bool) -> None:
        attached = AttachedData(tier=tier, vip=vip, intent="test") if tier else None
        for _ in range(count):
            contact = self.engine.arrivals.create_contact(
                queue, channel, "+12125550100", priority=priority, attached=attached
            )
            self.asked[contact.id] = priority
            self.arrived += 1

    @rule()
    def agents_dial_their_callbacks(self) -> None:
        """Every callback on offer is accepted and dialled (unless answered already: the call was transferred);
        the customer answers or not within 9 s."""
        for offer in self.engine.read.all_pending_offers():
            if offer.contact.callback is not None and offer.contact.callback.state != "answered":
                assert present(self.engine.contacts.accept(offer.id).callback).state == "dialling"
        self.clock.advance_to(self.clock.elapsed + 9)
        self.engine.tick()

    @rule(data=st.data())
    def ask_for_a_callback(self, data: st.DataObject) -> None:
        queued = [
            c for c in self.engine.read.queued_contacts() if c.channel == Channel.VOICE or data.draw(st.booleans())
        ]
        if contacts := sorted(c.id for c in queued):
            contact_id = data.draw(st.sampled_from(contacts))
            try:
                self.engine.callbacks.request_callback(contact_id)
            except Conflict as refused:
                contact = self.engine.read.contact(contact_id)
                queue = self.engine.read.queue(contact.queue_id)
                waited = (self.clock.now() - contact.entered_queue_at).total_seconds()
                assert (
                    contact.channel != Channel.VOICE
                    or contact.callback is not None
                    or contact.voicemail is not None
                    or queue.callback_offer_after_s is None
                    or waited < queue.callback_offer_after_s
                ), str(refused)

    @rule()
    def everyone_answers(self) -> None:
        for offer_id in self._offers():
            self.engine.contacts.accept(offer_id)

    @rule(data=st.data(), accept=st.booleans())
    def answer(self, data: st.DataObject, accept: bool) -> None:
        if offers := self._offers():
            offer = data.draw(st.sampled_from(offers))
            (self.engine.contacts.accept if accept else self.engine.offers.reject)(offer)
            again = data.draw(st.sampled_from([self.engine.contacts.accept, self.engine.offers.reject]))
            try:
                again(offer)
                raise AssertionError("an answered offer was answered again")
            except Conflict:
                pass

    @rule(data=st.data())
    def hold_or_resume(self, data: st.DataObject) -> None:
        if contacts := self._contacts(*TALKING):
            contact = self.engine.read.contact(data.draw(st.sampled_from(contacts)))
            try:
                (self.engine.contacts.hold if contact.state == ContactState.CONNECTED else self.engine.contacts.resume)(
                    contact.id
                )
            except Conflict:
                assert contact.consult is not None or _dialling(contact)

    @rule(data=st.data())
    def end(self, data: st.DataObject) -> None:
        if contacts := self._contacts(*TALKING):
            contact = self.engine.read.contact(data.draw(st.sampled_from(contacts)))
            try:
                self.engine.contacts.end(contact.id)
            except Conflict:
                assert _dialling(contact)

    @rule(data=st.data(), good=st.booleans())
    def complete(self, data: st.DataObject, good: bool) -> None:
        if contacts := self._contacts(ContactState.AFTER_CONTACT_WORK):
            contact = self.engine.read.contact(data.draw(st.sampled_from(contacts)))
            disposition = self.engine.read.queue(contact.queue_id).dispositions[0] if good else "Nope"
            try:
                self.engine.contacts.complete(contact.id, disposition)
            except Invalid:
                assert not good

    @rule(
        data=st.data(),
        kind=st.sampled_from(["queue", "agent", "address"]),
        where=st.sampled_from([*QUEUE_IDS, *AGENT_IDS, "sip:ana@example.com", "nowhere"]),
        consult=st.booleans(),
    )
    def transfer(self, data: st.DataObject, kind: str, where: str, consult: bool) -> None:
        if contacts := self._contacts(*TALKING):
            contact_id = data.draw(st.sampled_from(contacts))
            with contextlib.suppress(Conflict, Invalid):
                moved = (self.engine.transfers.consult if consult else self.engine.transfers.transfer)(
                    contact_id, Target(kind=kind, id=where)
                )
                if moved.state == ContactState.AFTER_CONTACT_WORK:  # to an outside number: the agent wraps up
                    self.ended_how[contact_id] = "transfer"

    @rule(data=st.data(), consult=st.booleans())
    def transfer_outside(self, data: st.DataObject, consult: bool) -> None:
        """To an outside number (rare among `transfer`'s draws): the call leaves, the agent wraps up."""
        self.transfer(data, "address", "sip:ana@example.com", consult)

    @rule(data=st.data())
    def take_over(self, data: st.DataObject) -> None:
        """A supervisor takes a call over: the agent wraps up, a written conversation is refused."""
        if contacts := self._contacts(*TALKING):
            contact = self.engine.read.contact(data.draw(st.sampled_from(contacts)))
            try:
                self.engine.contacts.take_over(contact.id, "supervisor", "Riley Chen")
            except (Conflict, Invalid):
                assert contact.channel != Channel.VOICE or _dialling(contact)
            else:
                self.ended_how[contact.id] = "takeover"

    @rule(data=st.data(), complete=st.booleans())
    def finish_consult(self, data: st.DataObject, complete: bool) -> None:
        consulting = [c.id for c in self.engine.read.contacts() if c.consult is not None]
        if consulting:
            contact_id = data.draw(st.sampled_from(sorted(consulting)))
            try:
                done = (self.engine.transfers.complete_consult if complete else self.engine.transfers.cancel_consult)(
                    contact_id
                )
            except Conflict:
                assert complete
            else:
                if done.state == ContactState.AFTER_CONTACT_WORK:  # completed to an outside number
                    self.ended_how[contact_id] = "consult"

    @rule(data=st.data())
    def abandon(self, data: st.DataObject) -> None:
        if contacts := self._contacts(ContactState.QUEUED, ContactState.OFFERED):
            self.engine.arrivals.abandon(data.draw(st.sampled_from(contacts)))

    @rule(data=st.data(), queue=st.sampled_from(QUEUE_IDS))
    def move(self, data: st.DataObject, queue: str) -> None:
        if contacts := self._contacts(ContactState.QUEUED):
            self.engine.supervisor.move(data.draw(st.sampled_from(contacts)), queue)

    @rule()
    def restart(self) -> None:
        """The server stops between two requests and starts again on the same data."""
        before = self._floor(self.engine)
        self.engine = self._engine(fresh=False)
        self.engine.load()
        assert self._floor(self.engine) == before

    def _floor(self, engine: Engine) -> dict[str, Any]:
        offers = [o.model_dump(exclude={"expires_at"}) for o in engine.read.all_pending_offers()]
        return {
            "agents": [a.model_dump() for a in engine.read.agents()],
            "chosen": {a: engine.read.chosen_state(a) for a in AGENT_IDS},
            "contacts": {c.id: c.model_dump() for c in engine.read.contacts()},
            "queued": [c.id for c in engine.read.queued_contacts()],
            "offers": offers,
        }

    @rule(seconds=st.floats(0, 8))
    def time_passes(self, seconds: float) -> None:
        self.clock.advance_to(self.clock.elapsed + seconds)
        self.engine.tick()

    # --- invariants ----------------------------------------------------------------

    @invariant()
    def who_ended_it_is_said(self) -> None:
        """A contact talked and wrapped up (or wrapping up) says who ended it, as the CRM's history will: a transfer or a
        consult completed to an outside number is said as such, never left unsaid or taken for the agent's end."""
        for contact in self.engine.read.contacts():
            wrapped = contact.state in (ContactState.AFTER_CONTACT_WORK, ContactState.COMPLETED)
            if wrapped and contact.answered_at is not None:  # (a callback nobody answered was never talked)
                assert contact.ended_by is not None, (contact.id, contact.transfer_path)
                if contact.id in self.ended_how:
                    assert contact.ended_by == self.ended_how[contact.id], (contact.id, contact.transfer_path)

    @invariant()
    def check_every_contact_once(self) -> None:
        engine = self.engine
        holders: dict[str, list[str]] = {}
        for agent in engine.read.agents():
            for contact in engine.read.contacts_in_hand(agent.id):
                holders.setdefault(contact.id, []).append(agent.id)
                assert contact.agent_id == agent.id
                assert contact.state in IN_HAND
        for contact in engine.read.contacts():
            if contact.state in IN_HAND:
                assert holders.get(contact.id) == [contact.agent_id], contact.id  # one agent, exactly
            else:
                assert contact.id not in holders
            if contact.id in self.terminal:
                assert contact.state == self.terminal[contact.id], "a terminal contact changed"
            elif contact.state in TERMINAL:
                self.terminal[contact.id] = contact.state
        assert set(self.terminal) <= {c.id for c in engine.read.contacts()}  # none lost

    @invariant()
    def arrivals_add_up(self) -> None:
        states = Counter(c.state for c in self.engine.read.contacts())
        in_progress = states[ContactState.CONNECTED] + states[ContactState.ON_HOLD]
        in_progress += states[ContactState.AFTER_CONTACT_WORK]
        total = states[ContactState.QUEUED] + states[ContactState.OFFERED] + in_progress
        total += states[ContactState.COMPLETED] + states[ContactState.ABANDONED]
        assert self.arrived == total == len(self.engine.read.contacts())

    @invariant()
    def capacity_is_respected(self) -> None:
        engine = self.engine
        for agent in engine.read.agents():
            channels = Counter(c.channel for c in engine.read.contacts_in_hand(agent.id))
            channels.update(o.contact.channel for o in engine.read.pending_offers(agent.id))
            for channel, count in channels.items():
                assert count <= agent.capacity.get(channel.value, 0), (agent.id, channel, count)
            if channels[Channel.VOICE]:
                assert sum(channels.values()) == 1, (agent.id, channels)  # voice is exclusive

    @invariant()
    def offers_agents_and_contacts_agree(self) -> None:
        engine = self.engine
        pending_by_agent: Counter[str] = Counter()
        offers = engine.read.all_pending_offers()
        for offer in offers:
            pending_by_agent[offer.agent_id] += 1
            contact = engine.read.contact(offer.contact.id)
            assert (contact.state, contact.agent_id) == (ContactState.OFFERED, offer.agent_id)
        offered = self._contacts(ContactState.OFFERED)
        assert sorted(o.contact.id for o in offers) == offered
        for agent in engine.read.agents():
            assert pending_by_agent[agent.id] <= 1
            states = {c.state for c in engine.read.contacts_in_hand(agent.id)}
            chosen, reason = engine.read.chosen_state(agent.id)
            if states & TALKING:
                assert agent.state == AgentState.BUSY
            elif states:
                assert agent.state == AgentState.AFTER_CONTACT_WORK
            elif pending_by_agent[agent.id]:
                assert agent.state == AgentState.OFFERED
            else:
                assert (agent.state, agent.reason) == (chosen, reason)
            assert (agent.idle_since is not None) == bool(engine.read.spare_channels(agent.id))

    @invariant()
    def priorities_and_callbacks_hold(self) -> None:
        engine = self.engine
        for contact in engine.read.contacts():
            if contact.id in self.asked:
                expected = self.asked[contact.id] + priority_raise(
                    engine.read.queue(contact.queue_id), contact.attached
                )
                assert contact.priority == expected, contact.id
            callback = contact.callback
            if callback is None:
                continue
            assert callback.attempts <= callback.max_attempts
            if callback.state == "dialling":
                assert contact.state in TALKING
                assert contact in engine.read.contacts_in_hand(present(contact.agent_id))
            if callback.state == "failed":
                assert contact.state == ContactState.COMPLETED
                assert callback.attempts == callback.max_attempts

    @invariant()
    def nobody_routable_is_left_idle(self) -> None:
        engine = self.engine
        for contact in engine.read.queued_contacts():
            assert contact.agent_id is None
            if contact.callback and contact.callback.retry_at and contact.callback.retry_at > self.clock.now():
                continue  # a callback waits for its retry
            for agent_id in engine.read.eligible_agents(contact.queue_id):
                if agent_id in engine.read.kept_from(contact.id):
                    continue
                assert contact.channel not in engine.read.spare_channels(agent_id), (contact.id, agent_id)


TestRouting = Routing.TestCase
TestRouting.settings = settings(max_examples=examples(100), stateful_step_count=50, deadline=None)


class FarEndRouting(Routing):
    """The machine with more of the far end in it: consult legs and callbacks' dials, each given time to answer."""

    @rule(data=st.data(), where=st.sampled_from(["sip:ana@example.com", *QUEUE_IDS, *AGENT_IDS[:3]]))
    def consult_and_wait(self, data: st.DataObject, where: str) -> None:
        if contacts := [c.id for c in self.engine.read.contacts() if c.state in TALKING and c.consult is None]:
            kind = "address" if where.startswith("sip:") else "queue" if where in QUEUE_IDS else "agent"
            with contextlib.suppress(Conflict, Invalid):
                self.engine.transfers.consult(data.draw(st.sampled_from(sorted(contacts))), Target(kind=kind, id=where))
        self.time_passes(4.0)

    @rule()
    def a_caller_is_called_back(self) -> None:
        """A voice caller arrives and, if they must wait, asks to be called back; agents who missed an offer come
        back, and the callbacks offered are dialled."""
        contact = self.engine.arrivals.create_contact(QUEUE_IDS[0], Channel.VOICE, "+12125550100")
        self.asked[contact.id] = 0
        self.arrived += 1
        if contact.state == ContactState.QUEUED:
            self.engine.callbacks.request_callback(contact.id)
        for agent in self.engine.read.agents():
            if agent.state == AgentState.MISSED:
                self.engine.agents.set_agent_state(agent.id, AgentState.AVAILABLE)
        self.agents_dial_their_callbacks()


class RoutingNobodyAnswers(FarEndRouting):
    """Routing holds its invariants when nobody outside answers: callbacks fail after their attempts, consult
    legs ring until they are cancelled or the call ends."""

    far_end = NeverAnswers()

    @invariant()
    def nothing_outside_answers(self) -> None:
        for contact in self.engine.read.contacts():
            assert contact.callback is None or contact.callback.state != "answered", contact.id
            assert contact.consult is None or contact.consult.state == "ringing", contact.id


class RoutingEveryoneAnswers(FarEndRouting):
    """Routing holds its invariants when everyone outside answers: no callback is retried or fails."""

    far_end = AlwaysAnswers()

    @invariant()
    def every_dial_is_answered(self) -> None:
        for contact in self.engine.read.contacts():
            callback = contact.callback
            assert callback is None or callback.state not in ("no_answer", "failed"), contact.id
            assert callback is None or callback.attempts <= 1, contact.id


TestRoutingNobodyAnswers = RoutingNobodyAnswers.TestCase
TestRoutingNobodyAnswers.settings = settings(max_examples=examples(25), stateful_step_count=50, deadline=None)
TestRoutingEveryoneAnswers = RoutingEveryoneAnswers.TestCase
TestRoutingEveryoneAnswers.settings = settings(max_examples=examples(25), stateful_step_count=50, deadline=None)


def _dialling(contact: Contact) -> bool:
    return contact.callback is not None and contact.callback.state == "dialling"


def test_a_declined_contact_stays_with_the_others_across_a_restart() -> None:
    """Found by the state machine on CI: a restart forgot who had declined a contact and offered it straight back."""
    machine = Routing()
    try:
        for _ in range(2):
            machine.arrive(queue="billing", channel=Channel.CHAT, priority=0, count=1, tier=None, vip=False)
        machine.agents_dial_their_callbacks()  # nobody answers: both chats time out on their agents
        second = machine.engine.read.contact("c-000002")
        assert second.state == ContactState.QUEUED
        missed_it = "agent-002"
        assert missed_it in machine.engine.read.kept_from(second.id)
        machine.engine.agents.set_next_state(missed_it, AgentState.AVAILABLE, None)

        machine.restart()  # the floor after it is the floor before it (asserted by the rule)

        assert machine.engine.read.contact(second.id).state == ContactState.QUEUED
        assert missed_it in machine.engine.read.kept_from(second.id)
        machine.time_passes(5.0)  # one offer timeout later it may go to anyone again
        assert missed_it not in machine.engine.read.kept_from(second.id)
        assert machine.engine.read.contact(second.id).state == ContactState.OFFERED
    finally:
        shutil.rmtree(machine.dir, ignore_errors=True)
