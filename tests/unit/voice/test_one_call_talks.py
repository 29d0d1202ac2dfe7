"""Two calls in hand at the contact center (docs/voice.md "Two calls in hand"), as a property of the routing core (no
store, no HTTP): whatever the agent does with the calls they place, hold, resume, end and wrap up, and whatever
callers arrive meanwhile, never two of their calls talk at once. A second call is placed only while every other call
of theirs is on hold, a held one resumed only while none other talks, each refusal a 409 naming the call that talks;
ending one leaves the other as it was; and no routed call is offered while a call is in hand."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from agent_desktop_mocks.ccaas.core import Core, RandomFarEnd, State
from agent_desktop_mocks.ccaas.core.errors import Conflict
from agent_desktop_mocks.ccaas.core.wire.schemas import IN_HAND, TALKING, AgentState, Channel, Contact, ContactState
from agent_desktop_mocks.ccaas.tables import seed
from agent_desktop_mocks.common.clock import ManualClock
from tests.support.hypothesis_profiles import examples
from tests.unit.mocks.test_ccaas_core import NoArchiveMidCommand

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NUMBERS = ["+12125550100", "+442079460958", "+15125550199"]


def a_core() -> Core:
    clock = ManualClock(START)
    state = State(
        clock,
        NoArchiveMidCommand(),
        RandomFarEnd(random.Random(0)),
        monotonic=clock.monotonic,
        offer_timeout_s=15,
        time_scale=1.0,
    )
    core = Core(state)
    core.memory.seed(seed.demo_queues(), [seed.demo_agent(START)])
    return core


class TwoCalls(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.core = a_core()
        self.agent_id = self.core.read.agents()[0].id
        self.core.run(self.core.agents.set_agent_state, self.agent_id, AgentState.AVAILABLE)

    def hand(self) -> list[Contact]:
        return [c for c in self.core.read.contacts() if c.agent_id == self.agent_id and c.state in IN_HAND]

    def calls(self, state: ContactState) -> list[Contact]:
        return [c for c in self.hand() if c.channel == Channel.VOICE and c.state == state]

    def talking(self) -> list[Contact]:
        return self.calls(ContactState.CONNECTED)

    def offered(self) -> bool:
        return bool(self.core.read.pending_offers(self.agent_id))

    def states_of_others(self, but: str) -> dict[str, ContactState]:
        return {c.id: c.state for c in self.hand() if c.id != but}

    @rule(number=st.sampled_from(NUMBERS), queue=st.sampled_from(["billing", "sales"]))
    def place(self, number: str, queue: str) -> None:
        talking, offered, before = self.talking(), self.offered(), self.states_of_others("")
        try:
            placed = self.core.run(self.core.contacts.place_call, self.agent_id, queue, number)
        except Conflict as refused:
            assert talking or offered, f"refused with every call on hold and no offer: {refused}"
            if talking and not offered:
                assert talking[0].id in str(refused), str(refused)
                assert "one call talks at a time" in str(refused), str(refused)
            assert self.states_of_others("") == before, "a refused call changed nothing"
            return
        assert not talking, f"a second call placed while {talking[0].id} talks"
        assert not offered, "a call placed with an offer waiting"
        assert placed.state == ContactState.CONNECTED
        assert self.states_of_others(placed.id) == before, "placing a call left the others as they were"

    @precondition(lambda self: bool(self.calls(ContactState.CONNECTED)))
    @rule(data=st.data())
    def hold(self, data: st.DataObject) -> None:
        call = data.draw(st.sampled_from(self.talking()))
        self.core.run(self.core.contacts.hold, call.id)

    @precondition(lambda self: bool(self.calls(ContactState.ON_HOLD)))
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        call = data.draw(st.sampled_from(self.calls(ContactState.ON_HOLD)))
        talking, before = self.talking(), self.states_of_others(call.id)
        try:
            self.core.run(self.core.contacts.resume, call.id)
        except Conflict as refused:
            assert talking, f"a held call refused its resume with no other call talking: {refused}"
            assert talking[0].id in str(refused), str(refused)
            return
        finally:
            assert self.states_of_others(call.id) == before, "a resume touched another call"
        assert not talking, f"{call.id} resumed while {talking[0].id} talks"

    @precondition(lambda self: any(c.state in TALKING for c in self.hand()))
    @rule(data=st.data())
    def end(self, data: st.DataObject) -> None:
        call = data.draw(st.sampled_from([c for c in self.hand() if c.state in TALKING]))
        before = self.states_of_others(call.id)
        self.core.run(self.core.contacts.end, call.id)
        assert self.states_of_others(call.id) == before, "ending one call left the other as it was"

    @precondition(lambda self: any(c.state == ContactState.AFTER_CONTACT_WORK for c in self.hand()))
    @rule(data=st.data())
    def wrap_up(self, data: st.DataObject) -> None:
        call = data.draw(st.sampled_from([c for c in self.hand() if c.state == ContactState.AFTER_CONTACT_WORK]))
        before = self.states_of_others(call.id)
        self.core.run(self.core.contacts.complete, call.id, self.core.read.queue(call.queue_id).dispositions[0])
        assert self.states_of_others(call.id) == before, "wrapping one call up left the other as it was"

    @rule(number=st.sampled_from(NUMBERS))
    def a_caller_arrives(self, number: str) -> None:
        self.core.run(self.core.arrivals.create_contact, "billing", Channel.VOICE, number)

    @precondition(lambda self: self.offered())
    @rule()
    def accept(self) -> None:
        (offer,) = self.core.read.pending_offers(self.agent_id)
        self.core.run(self.core.contacts.accept, offer.id)

    @invariant()
    def never_two_calls_talk(self) -> None:
        assert len(self.talking()) <= 1, [c.id for c in self.talking()]

    @invariant()
    def no_routed_call_offered_while_a_call_is_in_hand(self) -> None:
        if self.offered():
            assert not [c for c in self.hand() if c.channel == Channel.VOICE and c.state in TALKING], self.hand()


TwoCalls.TestCase.settings = settings(max_examples=examples(60), stateful_step_count=25)
test_two_calls_in_hand = TwoCalls.TestCase


def test_a_second_call_is_refused_by_name_while_the_first_talks_and_placed_once_it_is_held() -> None:
    core = a_core()
    agent_id = core.read.agents()[0].id
    core.run(core.agents.set_agent_state, agent_id, AgentState.NOT_READY, "Break")
    first = core.run(core.contacts.place_call, agent_id, "billing", NUMBERS[0])
    with pytest.raises(Conflict, match=f"your call with \\{NUMBERS[0]} \\({first.id}\\) is connected"):
        core.run(core.contacts.place_call, agent_id, "billing", NUMBERS[1])
    core.run(core.contacts.hold, first.id)
    second = core.run(core.contacts.place_call, agent_id, "billing", NUMBERS[1])
    with pytest.raises(Conflict, match=f"your call with \\{NUMBERS[1]} \\({second.id}\\) is connected"):
        core.run(core.contacts.resume, first.id)
    core.run(core.contacts.hold, second.id)
    core.run(core.contacts.resume, first.id)
    assert [c.state for c in (core.read.contact(first.id), core.read.contact(second.id))] == [
        ContactState.CONNECTED,
        ContactState.ON_HOLD,
    ]
