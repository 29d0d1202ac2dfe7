"""The desk's invariants under random events, reconnect snapshots, replays and stale answers (hypothesis).

A small truth of the contact center moves contacts through their lives; every change reaches the desk as
an event with an increasing id. Replays (an event again, same id), snapshots (the current truth without
ids, as after a reconnect) and stale answers (an earlier state of a contact, without an id, as a late
answer to an action) are mixed in. After every step: the selection is in hand or empty, a completed
contact never comes back, the offered contact is never also in hand, and the wrap-up contact is in
after-contact work or timed out; and no contact is behind the contact center (a phase never goes back).
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from agent_desktop.agent_desk.contacts import RANK, Phase, phase_of
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import ContactEvent, ContactState, OfferClosedEvent, OfferEvent, OfferState
from tests.support.desk_events import AGENT_ID, contact, contact_event, offer_closed, offer_event
from tests.support.hypothesis_profiles import examples

IDS = [f"c-{n}" for n in range(1, 4)]
S = ContactState
contact_ids = st.sampled_from(IDS)


class DeskMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.desk = Desk(AGENT_ID)
        self.truth: dict[str, ContactState] = {}
        self.history: dict[str, list[ContactState]] = {}
        self.sent: list[ContactEvent | OfferEvent | OfferClosedEvent] = []
        self.next_id = 1
        self.gone_for_good: set[str] = set()  # completed, and no longer on the desk

    def _send(self, event: ContactEvent | OfferEvent | OfferClosedEvent) -> None:
        event = event.model_copy(update={"event_id": self.next_id})
        self.next_id += 1
        self.sent.append(event)
        self.desk.apply(event)

    def _move(self, contact_id: str, state: ContactState, agent_id: str | None = AGENT_ID) -> None:
        self.truth[contact_id] = state
        self.history.setdefault(contact_id, []).append(state)
        self._send(contact_event(contact_id, state, agent_id=agent_id))

    # --- the contact center's truth ----------------------------------------------------

    @rule(contact_id=contact_ids)
    def offer(self, contact_id: str) -> None:
        if contact_id in self.truth and self.truth[contact_id] != S.QUEUED:
            return
        self.truth[contact_id] = S.OFFERED
        self._send(offer_event(contact_id))
        self._move(contact_id, S.OFFERED)

    @rule(contact_id=contact_ids, how=st.sampled_from([OfferState.EXPIRED, OfferState.REJECTED, OfferState.CANCELLED]))
    def offer_closes(self, contact_id: str, how: OfferState) -> None:
        if self.truth.get(contact_id) != S.OFFERED:
            return
        self._send(offer_closed(contact_id, how))
        if how is OfferState.CANCELLED:
            self._move(contact_id, S.ABANDONED, agent_id=None)
        else:
            self._move(contact_id, S.QUEUED, agent_id=None)

    @rule(contact_id=contact_ids)
    def accept(self, contact_id: str) -> None:
        if self.truth.get(contact_id) == S.OFFERED:
            self._move(contact_id, S.CONNECTED)

    @rule(contact_id=contact_ids)
    def hold_or_resume(self, contact_id: str) -> None:
        state = self.truth.get(contact_id)
        if state in (S.CONNECTED, S.ON_HOLD):
            self._move(contact_id, S.ON_HOLD if state == S.CONNECTED else S.CONNECTED)

    @rule(contact_id=contact_ids)
    def end(self, contact_id: str) -> None:
        if self.truth.get(contact_id) in (S.CONNECTED, S.ON_HOLD):
            self._move(contact_id, S.AFTER_CONTACT_WORK)

    @rule(contact_id=contact_ids)
    def transfer_away(self, contact_id: str) -> None:
        if self.truth.get(contact_id) in (S.CONNECTED, S.ON_HOLD):
            self._move(contact_id, S.QUEUED, agent_id=None)

    @rule(contact_id=contact_ids)
    def acw_timeout(self, contact_id: str) -> None:
        if self.truth.get(contact_id) == S.AFTER_CONTACT_WORK:
            self._move(contact_id, S.COMPLETED)

    @rule(contact_id=contact_ids)
    def agent_saves(self, contact_id: str) -> None:
        """The agent saves the wrap-up: the desk completes the contact (as the controller does)."""
        held = self.desk.held.get(contact_id)
        if held is None or not held.phase.wrapping_up:
            return
        if self.desk.begin_save(contact_id) and self.truth.get(contact_id) == S.AFTER_CONTACT_WORK:
            self._move(contact_id, S.COMPLETED)
        self.desk.finish(contact_id)

    # --- what the stream and the actions add to it ---------------------------------

    @rule(data=st.data())
    @precondition(lambda self: self.sent)
    def replay(self, data: st.DataObject) -> None:
        self.desk.apply(data.draw(st.sampled_from(self.sent)))

    @rule()
    def snapshot(self) -> None:
        """After a reconnect: the agent's offers and contacts as they are now, without ids."""
        for contact_id, state in self.truth.items():
            if state == S.OFFERED:
                self.desk.apply(offer_event(contact_id))
            if state in (S.CONNECTED, S.ON_HOLD, S.AFTER_CONTACT_WORK):
                self.desk.apply_contact(contact(contact_id, state))

    @rule(data=st.data())
    @precondition(lambda self: any(len(h) > 1 for h in self.history.values()))
    def stale_answer(self, data: st.DataObject) -> None:
        contact_id = data.draw(st.sampled_from([c for c, h in self.history.items() if len(h) > 1]))
        if contact_id in self.desk.held or self.truth[contact_id] in (S.COMPLETED, S.ABANDONED):
            earlier = data.draw(st.sampled_from(self.history[contact_id][:-1]))
            agent_id = AGENT_ID if earlier in (S.OFFERED, S.CONNECTED, S.ON_HOLD, S.AFTER_CONTACT_WORK) else None
            self.desk.apply_contact(contact(contact_id, earlier, agent_id=agent_id))

    @rule(step=st.sampled_from([1, -1]))
    def switch(self, step: int) -> None:
        self.desk.step_selection(step)

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def selection_is_in_hand_or_empty(self) -> None:
        assert self.desk.selected_id is None or self.desk.selected_id in self.desk.held
        if self.desk.held:
            assert self.desk.selected_id is not None

    @invariant()
    def a_completed_contact_never_comes_back(self) -> None:
        assert not (self.gone_for_good & set(self.desk.held))
        for contact_id, state in self.truth.items():
            if state in (S.COMPLETED, S.ABANDONED) and contact_id not in self.desk.held:
                self.gone_for_good.add(contact_id)

    @invariant()
    def the_offered_contact_is_not_also_in_hand(self) -> None:
        offer = self.desk.offer
        assert offer is None or offer.contact.id not in self.desk.held

    @invariant()
    def the_wrap_up_contact_is_in_after_contact_work_or_timed_out(self) -> None:
        held = self.desk.wrap_up()
        if held is not None:
            assert held.contact.state == S.AFTER_CONTACT_WORK or held.phase is Phase.TIMED_OUT

    @invariant()
    def no_contact_is_behind_the_contact_center(self) -> None:
        """Whatever came late (a replay, a snapshot, an old answer), no contact goes back a phase."""
        for contact_id, held in self.desk.held.items():
            truth = phase_of(self.truth[contact_id])
            if truth is not None:
                assert RANK[held.phase] >= RANK[truth], (contact_id, held.phase, truth)

    @invariant()
    def nothing_is_kept_of_contacts_no_longer_there(self) -> None:
        kept = set(self.desk.lookups)
        wanted = set(self.desk.held) | ({self.desk.offer.contact.id} if self.desk.offer else set())
        assert kept <= wanted


DeskMachine.TestCase.settings = settings(max_examples=examples(300), stateful_step_count=60, deadline=None)
test_desk_invariants = DeskMachine.TestCase
