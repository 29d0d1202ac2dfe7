"""The agent's desk without a screen: offers, contacts in hand, replays and stale events, wrap-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent_desktop.agent_desk.changes import ForgetDraft, LookUpCaller
from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.drafts import Draft, DraftStore, drafts_path_beside
from agent_desktop.domain.models import AgentState, ContactState, Customer, CustomerRecord, LookupResult, OfferState
from agent_desktop.domain.streams.link_status import LinkStatus
from tests.support.desk_events import AGENT_ID, agent_event, contact_event, offer_closed, offer_event
from tests.support.narrowing import present

CONNECTED, ACW, COMPLETED = ContactState.CONNECTED, ContactState.AFTER_CONTACT_WORK, ContactState.COMPLETED


def offered_and_accepted(desk: Desk, contact_id: str = "c-1", first_id: int = 1) -> None:
    desk.apply(offer_event(contact_id, first_id))
    desk.apply(contact_event(contact_id, CONNECTED, first_id + 1))


def test_an_offer_starts_its_callers_lookup_in_the_same_call() -> None:
    desk = Desk(AGENT_ID)
    effects = desk.apply(offer_event("c-1", 1))
    assert effects == [LookUpCaller("c-1", "+14155550001")]
    assert desk.offer is not None
    assert desk.popped_contact_id() == "c-1"
    changes = desk.take_changes()
    assert changes.offer
    assert changes.card
    assert changes.ring
    assert not desk.take_changes(), "changes are taken once"


def test_the_accepted_offer_becomes_the_selected_contact_and_keeps_its_lookup() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    assert desk.offer is None
    assert desk.selected_id == "c-1"
    assert desk.held["c-1"].phase is Phase.TALKING
    assert desk.held["c-1"].last_event_id == 2
    assert "c-1" in desk.lookups, "the caller's card stays once the contact is in hand"


def test_a_replayed_event_is_dropped() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ACW, 3))
    desk.take_changes()
    assert desk.apply(contact_event("c-1", CONNECTED, 2)) == []
    assert desk.held["c-1"].phase is Phase.WRAP_UP  # mypy keeps the narrowing above across apply()
    assert not desk.take_changes().contacts


def test_a_stale_snapshot_cannot_take_a_contact_back_a_phase() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ACW, 3))
    desk.apply(contact_event("c-1", CONNECTED))  # from a snapshot, no id: older than what the desk knows
    assert desk.held["c-1"].phase is Phase.WRAP_UP  # mypy keeps the narrowing above across apply()


def test_hold_and_resume_stay_in_the_talking_phase() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ContactState.ON_HOLD, 3))
    assert present(desk.selected_contact()).state == ContactState.ON_HOLD
    desk.apply(contact_event("c-1", CONNECTED, 4))
    assert present(desk.selected_contact()).state == CONNECTED
    assert desk.held["c-1"].phase is Phase.TALKING


def test_a_contact_completed_by_the_acw_timeout_is_kept_until_its_wrap_up_is_saved() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ACW, 3))
    desk.apply(contact_event("c-1", COMPLETED, 4))
    assert desk.held["c-1"].phase is Phase.TIMED_OUT
    assert present(desk.wrap_up()).id == "c-1"
    assert desk.begin_save("c-1") is False, "nothing left to complete in the contact center"
    assert desk.finish("c-1") == [ForgetDraft("c-1")]
    assert desk.holds_nothing()


def test_a_contact_completed_while_saving_is_done_and_never_comes_back() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ACW, 3))
    desk.wrap_ups.keep("c-1", Draft("Resolved", "ok"))
    assert desk.begin_save("c-1")
    assert desk.apply(contact_event("c-1", COMPLETED, 4)) == [ForgetDraft("c-1")]
    assert desk.holds_nothing()
    desk.apply(contact_event("c-1", ACW))  # a late answer to an earlier action
    desk.apply(contact_event("c-1", CONNECTED, 9))
    assert not desk.held
    assert desk.finished("c-1")


def test_n_is_a_break_the_moment_the_last_contact_is_saved_before_the_contact_center_says_the_new_state() -> None:
    """ctrl+s then `n` at once: the contact is done on the desk, the agent still shown in after-contact work
    until the contact center's next event (a moment in-process, seconds on a real platform). `n` then is the
    break, not a key that does nothing (a CI run lost it so: the agent went Available and was offered)."""
    desk = Desk(AGENT_ID)
    desk.apply(agent_event(AgentState.AVAILABLE, 1))
    offered_and_accepted(desk, "c-1", 2)
    desk.apply(agent_event(AgentState.AFTER_CONTACT_WORK, 4))
    desk.apply(contact_event("c-1", ACW, 5))
    assert enabled(desk, Where())["next_not_ready"]
    assert not enabled(desk, Where())["not_ready"]
    assert desk.begin_save("c-1")
    desk.apply(contact_event("c-1", COMPLETED, 6))
    assert not desk.has_contacts_in_hand()
    assert desk.agent_state() is AgentState.AFTER_CONTACT_WORK
    assert enabled(desk, Where())["not_ready"], "`n` does nothing between the save and the contact center's word"
    assert enabled(desk, Where())["go_available"], "nor `v`"
    desk.apply(agent_event(AgentState.NOT_READY, 7))
    assert not enabled(desk, Where())["not_ready"]
    assert not enabled(desk, Where())["next_not_ready"]


def test_n_is_a_break_just_after_a_rejected_offer_and_not_while_one_waits() -> None:
    """The state still says Offered after `r` (the offer left the desk at once): `n` is a break. An offer come
    before the state says Offered: `n` is not (the contact center refuses a break while an offer waits)."""
    desk = Desk(AGENT_ID)
    desk.apply(agent_event(AgentState.AVAILABLE, 1))
    desk.apply(offer_event("c-1", 2))
    assert desk.agent_state() is AgentState.AVAILABLE
    assert not enabled(desk, Where())["not_ready"]
    desk.apply(agent_event(AgentState.OFFERED, 3))
    assert desk.reject_offer() is not None
    assert enabled(desk, Where())["not_ready"], "`n` does nothing between the reject and the contact center's word"
    assert enabled(desk, Where())["go_available"], "nor `v`"


def test_a_failed_save_goes_back_to_wrap_up() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ACW, 3))
    desk.begin_save("c-1")
    desk.save_failed("c-1")
    assert desk.held["c-1"].phase is Phase.WRAP_UP  # mypy keeps the narrowing above across apply()


def test_a_transferred_contact_leaves_the_hand_and_the_selection_moves_on() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk, "c-1", 1)
    offered_and_accepted(desk, "c-2", 3)
    assert desk.selected_id == "c-2", "the contact just accepted is selected"
    desk.apply(contact_event("c-2", ContactState.QUEUED, 5, agent_id=None))
    assert list(desk.held) == ["c-1"]
    assert desk.selected_id == "c-1"
    assert "c-2" not in desk.lookups


def test_a_transfer_that_made_a_new_contact_releases_the_one_it_continues() -> None:
    """Twilio: a Flex Interactions Invite makes a new task; the old one completes as the agent's participant closes.
    Its completion, arriving after the answer, must not come back as a wrap-up the ACW timeout took."""
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk, "c-1", 1)
    moved = contact_event("c-2", ContactState.QUEUED, agent_id=None).contact.model_copy(
        update={"transferred_from": "c-1"}
    )
    desk.apply_answer(moved)
    assert desk.held == {}
    assert desk.selected_id is None
    assert "c-1" not in desk.lookups
    assert desk.apply(contact_event("c-1", COMPLETED, 3)) == [], "not kept for a wrap-up"
    assert desk.held == {}, "not kept for a wrap-up"


def test_an_offer_for_a_contact_already_in_hand_is_stale() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    assert desk.apply(offer_event("c-1")) == []
    assert desk.offer is None


def test_a_missed_offer_on_a_busy_agent_says_how_to_get_offers_again() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(offer_event("c-2", 3))
    desk.take_changes()
    desk.apply(offer_closed("c-2", OfferState.EXPIRED, 4))
    notices = desk.take_changes().notices
    assert desk.offer is None
    assert "c-2" not in desk.lookups
    assert "press v" in notices[0].text


def test_switching_steps_through_the_contacts_in_hand() -> None:
    desk = Desk(AGENT_ID)
    for n, first_id in ((1, 1), (2, 3), (3, 5)):
        offered_and_accepted(desk, f"c-{n}", first_id)
    desk.step_selection(1)
    assert desk.selected_id == "c-1"
    desk.step_selection(-1)
    assert desk.selected_id == "c-3"


def test_the_lookup_that_answers_after_the_contact_left_is_ignored() -> None:
    desk = Desk(AGENT_ID)
    desk.apply(offer_event("c-1", 1))
    desk.apply(offer_closed("c-1", OfferState.CANCELLED, 2))
    customer = Customer(id="cus-1", name="Ann")
    desk.lookups.found("c-1", LookupResult(customers=[customer]), CustomerRecord(customer=customer))
    assert desk.holds_nothing()


def test_several_matches_wait_for_a_pick_and_the_pick_replaces_them() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    ann, bob = Customer(id="cus-1", name="Ann"), Customer(id="cus-2", name="Bob")
    desk.lookups.found("c-1", LookupResult(customers=[ann, bob], matched_on="phone"), None)
    assert desk.lookups["c-1"].needs_pick
    desk.lookups.chosen("c-1", CustomerRecord(customer=bob))
    lookup = desk.lookups["c-1"]
    assert not lookup.needs_pick
    assert present(lookup.record).customer.id == "cus-2"
    assert present(lookup.record).matched_on == "phone"


def test_the_agent_state_is_kept_and_a_replayed_one_is_not_applied() -> None:
    desk = Desk(AGENT_ID)
    desk.apply(agent_event(AgentState.AVAILABLE, 5))
    desk.apply(agent_event(AgentState.OFFLINE, 4))
    assert desk.agent_state() is AgentState.AVAILABLE


def test_drafts_survive_a_restart_beside_the_outbox_with_card_numbers_masked(tmp_path: Path) -> None:
    path = drafts_path_beside(tmp_path / "outbox.db")
    store = DraftStore(path)
    store.save("c-1", Draft("Resolved", "Card 4111 1111 1111 1111, CVV 123, refund the fee"))
    store.close()
    again = DraftStore(path).load()
    assert again["c-1"].disposition == "Resolved"
    assert "4111 1111" not in again["c-1"].notes
    assert "123" not in again["c-1"].notes
    assert "refund the fee" in again["c-1"].notes
    assert path.parent == tmp_path
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_conversation_event_is_not_the_desks_yet() -> None:
    """Events (messages, typing, receipts) arrive on the same stream: the desk leaves them be."""
    from agent_desktop.domain.models import TypingEvent

    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    fields = TypingEvent.model_fields
    nothing: dict[str, Any] = {name: None for name in fields if name != "type"}
    event = TypingEvent.model_construct(**nothing)
    assert desk.apply(event) == []
    assert list(desk.held) == ["c-1"]


def test_an_answer_with_event_ids_drops_its_copy_by_id_and_one_without_by_content() -> None:
    """X-Event-Ids: the stream's copy of an answer is known by its id, even when it holds more than the answer
    did (the equality rule stays for a backend that names no ids, and there a different copy is applied)."""
    for names_ids in (True, False):
        desk = Desk(AGENT_ID)
        offered_and_accepted(desk)
        answer = contact_event("c-1", ContactState.ON_HOLD).contact
        desk.apply_answer(answer.model_copy(update={"event_ids": (5,)}) if names_ids else answer)
        assert desk.selected_contact() == answer
        assert present(desk.selected_contact()).event_ids == ()
        desk.take_changes()
        copy = contact_event("c-1", ContactState.ON_HOLD, 5)
        desk.apply(copy.model_copy(update={"contact": answer.model_copy(update={"ewt_s": 42.0})}))  # filled in later
        assert bool(desk.take_changes().contacts) is not names_ids
        assert present(desk.selected_contact()).ewt_s == (None if names_ids else 42.0)


def test_an_answer_that_comes_after_a_later_event_is_dropped() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.apply(contact_event("c-1", ContactState.ON_HOLD, 3))
    desk.apply(contact_event("c-1", CONNECTED, 4))  # resumed meanwhile (another window, a supervisor)
    desk.take_changes()
    late = contact_event("c-1", ContactState.ON_HOLD).contact.model_copy(update={"event_ids": (3,)})
    assert desk.apply_answer(late) == []
    assert present(desk.selected_contact()).state is CONNECTED
    assert not desk.take_changes().contacts


def test_a_link_back_after_the_desk_was_paused_says_so_once_and_a_plain_reconnect_says_nothing() -> None:
    """A stopped or sleeping desk's link is down for a fraction of a second, often between two frames: the desk
    says it resumed in a notice that stays, once for all its links; a backend's own gap is only on the status line."""
    desk = Desk(AGENT_ID)
    up = LinkStatus("contact center", True)
    desk.set_link(up, "contact_center")
    desk.set_link(LinkStatus("contact center", False, "stream closed"), "contact_center")
    desk.set_link(up, "contact_center")
    assert not desk.take_changes().notices, "a backend's gap: the status line says it"
    for backend, kind in (("contact center", "contact_center"), ("presence", "presence")):
        desk.set_link(LinkStatus(backend, False, "the desk was paused 7200 s", paused=True), kind)
        desk.set_link(LinkStatus(backend, True), kind)
    notices = desk.take_changes().notices
    assert [(n.title, n.text) for n in notices] == [
        ("Resumed", "The desk was paused; what it shows was read again from contact center.")
    ]


def test_a_pause_is_said_when_the_link_is_back_even_if_a_retry_failed_on_the_way() -> None:
    desk = Desk(AGENT_ID)
    desk.set_link(LinkStatus("contact center", True), "contact_center")
    desk.set_link(LinkStatus("contact center", False, "the desk was paused 7200 s", paused=True), "contact_center")
    desk.set_link(LinkStatus("contact center", False, "timed out (no answer in 10 s)"), "contact_center")
    desk.set_link(LinkStatus("contact center", True), "contact_center")
    desk.set_link(LinkStatus("contact center", False, "stream closed"), "contact_center")
    desk.set_link(LinkStatus("contact center", True), "contact_center")
    assert [n.title for n in desk.take_changes().notices] == ["Resumed"], "said once, for the pause only"


def test_e_puts_the_wrap_up_in_front_before_the_contact_center_answers_and_a_refusal_gives_the_contact_back() -> None:
    desk = Desk(AGENT_ID)
    offered_and_accepted(desk)
    desk.take_changes()
    assert desk.begin_end("c-1")
    assert desk.wrap_up() is desk.held["c-1"]
    assert desk.take_changes().wrap_up
    assert not desk.begin_end("c-1"), "ended already: a second e asks nothing"
    desk.wrap_ups.keep("c-1", Draft("", "typed behind e"))
    desk.end_refused("c-1")
    assert desk.held["c-1"].phase is Phase.TALKING
    assert desk.wrap_up() is None
    assert desk.begin_end("c-1"), "kept for the next e"
    assert present(desk.wrap_ups.get("c-1")).notes == "typed behind e", "kept for the next e"
    desk.apply(contact_event("c-1", ACW, 3))
    assert desk.held["c-1"].phase is Phase.WRAP_UP  # type: ignore[comparison-overlap]  # mypy keeps the narrowing above across apply()
    assert desk.held["c-1"].contact.state is ACW
    desk.end_refused("c-1")  # (a refusal after the contact center ended it: it stays ended)
    assert desk.held["c-1"].phase is Phase.WRAP_UP  # mypy keeps the narrowing above across apply()
