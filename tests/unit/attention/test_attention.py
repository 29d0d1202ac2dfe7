"""The rules of the agent's attention (agent_desktop/agent_desk/attention.py; the table in docs/architecture.md),
without a terminal: the model told what happened (`apply`), and what it answers — where an offer shows, whose each
key is, what steps aside, comes back and closes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.attention import (
    TYPING_RUN_S,
    AgentEnded,
    Attention,
    BringBack,
    Close,
    Closed,
    ContactsChanged,
    ConversationAccepted,
    CursorToWrapUp,
    Dismiss,
    Dismissing,
    Focused,
    KeyArrived,
    KeyGoes,
    KeyTo,
    KeyWasRead,
    Lasts,
    LeftComposer,
    NextKey,
    OfferAnswered,
    OfferPending,
    OfferSentBack,
    OfferUp,
    Opened,
    Overlay,
    OverlayKind,
    ShowOffer,
    StepAside,
    WrapUpDrawn,
    next_key,
)

OUTBOX = Overlay(1, OverlayKind.VIEW, "The outbox")
CALLBACK = Overlay(2, OverlayKind.DIALOG, "The callback", contact_id="c-1")
DISPOSITIONS = Overlay(3, OverlayKind.PICKER, "The disposition list", contact_id="c-1", lasts=Lasts.WHILE_WRAPPING)
MY_DAY = Overlay(5, OverlayKind.VIEW, "My day")
TRANSFER = Overlay(6, OverlayKind.DIALOG, "The transfer dialog", contact_id="c-1", lasts=Lasts.WHILE_IN_HAND)


def opened(*overlays: Overlay, typing: bool = False, about: str | None = None) -> Attention:
    """A model told these overlays opened over the desk, bottom first, and where the focus is."""
    attention = Attention()
    for overlay in overlays:
        attention.apply(Opened(overlay))
    attention.apply(Focused(typing, about))
    return attention


def shows(attention: Attention, offer_id: str, contact_id: str | None = None) -> bool:
    return attention.apply(OfferPending(offer_id, contact_id)) == [ShowOffer(offer_id)]


def goes(attention: Attention, at: float, shown_at: float | None) -> KeyGoes:
    (effect,) = attention.apply(KeyArrived(at, shown_at))
    assert isinstance(effect, KeyTo)
    return effect.goes


# --- the model's own state ------------------------------------------------------------------------------------


def test_what_is_open_is_the_models_in_the_order_it_opened_and_closed() -> None:
    attention = opened(OUTBOX, CALLBACK, DISPOSITIONS)
    attention.apply(Closed(CALLBACK.key))  # closed under another (rule 6: wherever it is)
    assert attention.open == (OUTBOX, DISPOSITIONS)
    attention.apply(Opened(OUTBOX))  # brought to the top again
    assert attention.open == (DISPOSITIONS, OUTBOX)


# --- rule 1 ---------------------------------------------------------------------------------------------------


def test_rule_1_an_offer_comes_over_whatever_is_open_or_over_a_text_being_typed() -> None:
    for kind in OverlayKind:
        if kind is not OverlayKind.OFFER:
            assert shows(opened(Overlay(9, kind, "x")), "o-1"), kind
    assert shows(opened(typing=True), "o-1")


def test_rule_1_with_nothing_open_the_card_answers_it_and_what_opens_after_comes_under_it() -> None:
    """The offer on the desk's card, then a moment later the agent opens my day before reading the card: the offer
    comes over it (it stayed under, `r` went to the view, the offer was missed)."""
    attention = opened()
    assert attention.apply(OfferPending("o-1")) == []  # in front on the desk's card
    attention.apply(Opened(OUTBOX))
    assert shows(attention, "o-1")


def test_rule_1_not_over_what_is_about_the_offered_contact_itself() -> None:
    """The customer to pick for this very caller, opened in the same run as the `v` that made the agent routable."""
    attention = opened(Overlay(8, OverlayKind.PICKER, "The customers", contact_id="c-7"))
    assert not shows(attention, "o-1", "c-7")
    assert shows(attention, "o-2", "c-8")


def test_rule_1_not_over_a_field_about_the_offered_contact_but_over_another_contacts() -> None:
    """The new caller's form on the card of the caller offered: typing their name is part of answering the offer
    (its `a` and `r` are the name's letters). A field about another contact (one in hand) has the offer over it."""
    attention = opened(typing=True, about="c-1")
    assert not shows(attention, "o-1", "c-1")
    assert shows(attention, "o-2", "c-2")
    attention.apply(Opened(OUTBOX))
    assert shows(attention, "o-1", "c-1"), "a view opened over the form still has the offer over it"


def test_rule_1_not_twice() -> None:
    attention = opened(OUTBOX)
    attention.apply(OfferUp(True))
    assert not shows(attention, "o-1")
    attention.apply(OfferUp(False))
    assert shows(attention, "o-1")


def test_rule_1_an_offer_missed_while_something_was_open_is_said_over_it_once() -> None:
    attention = opened(OUTBOX)
    assert attention.apply(OfferPending("o-1", missed=True)) == [ShowOffer("o-1", missed=True)]
    assert attention.apply(OfferPending("o-1", missed=True)) == []
    assert opened().apply(OfferPending("o-2", missed=True)) == [], "nothing open: the card says it"


# --- rule 2 ---------------------------------------------------------------------------------------------------


def test_rule_2_keys_of_a_run_begun_before_the_offer_go_under_it_and_the_first_after_a_pause_is_the_offers() -> None:
    attention = Attention()
    shown = 10.0
    goes(attention, 9.9, None)  # typing when the offer came
    assert goes(attention, 10.05, shown) is KeyGoes.UNDER
    assert goes(attention, 10.3, shown) is KeyGoes.UNDER  # still the same run
    assert goes(attention, 10.3 + TYPING_RUN_S, shown) is KeyGoes.OFFER  # after a pause


def test_rule_2_a_key_typed_before_the_offer_was_painted_goes_under_though_read_after() -> None:
    assert goes(Attention(), 4.0, 5.0) is KeyGoes.UNDER


def test_rule_2_a_run_begun_after_the_offer_is_the_offers() -> None:
    attention = Attention()
    goes(attention, 1.0, None)
    assert goes(attention, 5.0, 4.0) is KeyGoes.OFFER
    assert goes(attention, 5.1, 4.0) is KeyGoes.OFFER


@given(
    gaps=st.lists(st.floats(min_value=0.0, max_value=2.0, allow_nan=False), min_size=1, max_size=30),
    shown_after=st.integers(min_value=0, max_value=30),
    delays=st.lists(st.floats(min_value=0.0, max_value=5.0, allow_nan=False), min_size=30, max_size=30),
)
def test_rule_2_where_a_key_goes_depends_on_when_it_was_typed_never_on_when_it_was_read(
    gaps: list[float], shown_after: int, delays: list[float]
) -> None:
    """The same keys read with any delays (a busy machine) go to the same places; a key goes under exactly when
    its run of typing began before the offer was in sight."""
    stamps, at = [], 0.0
    for gap in gaps:
        at += gap
        stamps.append(at)
    shown = stamps[min(shown_after, len(stamps) - 1)] + 0.001
    attention = Attention()
    went = [goes(attention, stamp, shown) for stamp in stamps]
    again = Attention()
    read_at = 0.0
    for stamp, delay, expected in zip(stamps, delays, went, strict=False):
        read_at = max(read_at, stamp) + delay  # (when it is read is not an input of the rule at all)
        assert goes(again, stamp, shown) is expected
    run_began = stamps[0]
    for index, stamp in enumerate(stamps):
        if index and stamp - stamps[index - 1] >= TYPING_RUN_S:
            run_began = stamp
        assert (went[index] is KeyGoes.UNDER) == (run_began < shown)


# --- rule 3 ---------------------------------------------------------------------------------------------------


def test_rule_3_an_offer_sent_back_with_escape_does_not_come_up_again_over_the_same_things() -> None:
    attention = opened(OUTBOX)
    attention.apply(OfferSentBack("o-1"))
    assert not shows(attention, "o-1")
    attention.apply(Opened(CALLBACK))
    assert not shows(attention, "o-1"), "nor over what opens next: it is on the card"
    assert shows(attention, "o-2"), "the next offer does"


# --- rule 4 ---------------------------------------------------------------------------------------------------


def test_rule_4_a_conversation_accepted_over_what_was_open_steps_it_aside_and_it_comes_back_in_order() -> None:
    attention = opened(OUTBOX, CALLBACK)
    assert attention.apply(ConversationAccepted("c-9")) == [StepAside((OUTBOX, CALLBACK))]
    assert not attention.open
    assert attention.apply(LeftComposer()) == [BringBack((OUTBOX, CALLBACK))]
    assert attention.open == (OUTBOX, CALLBACK)
    assert attention.apply(LeftComposer()) == []


def test_rule_4_what_is_about_the_accepted_contact_does_not_step_aside() -> None:
    attention = opened(OUTBOX, CALLBACK)
    assert attention.apply(ConversationAccepted("c-1")) == [StepAside((OUTBOX,))]
    assert attention.open == (CALLBACK,)


def test_rule_4_the_wrap_up_of_the_agents_e_stays_in_front_of_what_stepped_aside_until_it_is_saved() -> None:
    """My day stepped aside for a chat; the agent, back on the contacts, ends another with `e`: leaving the composer
    (or the accept answered late) does not bring my day over the wrap-up being typed; saving it does."""
    attention = opened(MY_DAY)
    attention.apply(ConversationAccepted("c-9"))
    attention.apply(AgentEnded("c-1"))
    attention.apply(ContactsChanged(in_hand={"c-1", "c-9"}, wrapping={"c-1"}))
    assert attention.apply(LeftComposer()) == [], "the wrap-up is in front"
    assert attention.stepped_aside == (MY_DAY,)
    saved = attention.apply(ContactsChanged(in_hand={"c-9"}, wrapping=set()))
    assert saved == [BringBack((MY_DAY,))]
    assert attention.open == (MY_DAY,)


def test_rule_4_an_end_refused_lets_what_stepped_aside_come_back_as_before() -> None:
    attention = opened(MY_DAY)
    attention.apply(ConversationAccepted("c-9"))
    attention.apply(AgentEnded("c-1"))
    attention.apply(ContactsChanged(in_hand={"c-1", "c-9"}, wrapping={"c-1"}))
    attention.apply(Focused(typing=True))  # and the agent is writing in the accepted chat
    assert attention.apply(ContactsChanged(in_hand={"c-1", "c-9"}, wrapping=set())) == [], "talked on: not over it"
    assert attention.apply(LeftComposer()) == [BringBack((MY_DAY,))]


# --- rule 5 ---------------------------------------------------------------------------------------------------


def test_rule_5_an_overlay_of_a_wrap_up_closes_once_it_is_saved_and_one_about_the_customer_stays() -> None:
    attention = opened(OUTBOX, CALLBACK, DISPOSITIONS)
    assert attention.apply(ContactsChanged(in_hand={"c-1"}, wrapping={"c-1"})) == []
    closing = attention.apply(ContactsChanged(in_hand=set(), wrapping=set()))
    assert closing == [Close(DISPOSITIONS, "The disposition list closed: the wrap-up was saved")]
    assert attention.open == (OUTBOX, CALLBACK)


def test_rule_5_an_action_on_the_live_contact_closes_when_it_leaves_the_agents_hands() -> None:
    attention = opened(TRANSFER)
    assert attention.apply(ContactsChanged(in_hand={"c-1"}, wrapping={"c-1"})) == []
    assert attention.apply(ContactsChanged(in_hand=set(), wrapping=set())) == [
        Close(TRANSFER, "The transfer dialog closed: the contact is no longer yours")
    ]


def test_rule_5_an_overlay_stepped_aside_closes_with_its_contact_too() -> None:
    attention = opened(DISPOSITIONS)
    attention.apply(ConversationAccepted("c-9"))
    closing = attention.apply(ContactsChanged(in_hand={"c-9"}, wrapping=set()))
    assert closing == [Close(DISPOSITIONS, "The disposition list closed: the wrap-up was saved")]
    assert attention.apply(LeftComposer()) == []


# --- rule 6 ---------------------------------------------------------------------------------------------------


def test_rule_6_an_overlay_closing_itself_under_another_is_taken_from_under_it_once() -> None:
    """The callback dialog answered while the outbox came up over it: it is taken out from under the outbox (Textual
    would pop the outbox in its place), the outbox stays; closing it again closes nothing (its flow answered once)."""
    attention = opened(CALLBACK, OUTBOX)
    assert attention.apply(Dismissing(CALLBACK.key)) == [Dismiss(CALLBACK, on_top=False)]
    assert attention.open == (OUTBOX,)
    assert attention.apply(Dismissing(CALLBACK.key)) == [], "a second dismissal closes nothing"
    assert attention.apply(Dismissing(OUTBOX.key)) == [Dismiss(OUTBOX, on_top=True)]
    assert not attention.open, "nothing left open"


def test_rule_6_an_overlay_stepped_aside_for_a_chat_does_not_close_the_one_in_front() -> None:
    attention = opened(CALLBACK)
    attention.apply(ConversationAccepted("c-9"))
    attention.apply(Opened(OUTBOX))
    assert attention.apply(Dismissing(CALLBACK.key)) == []
    assert attention.open == (OUTBOX,)


def test_rule_6_an_overlay_that_closes_under_another_leaves_the_rest_as_they_were() -> None:
    attention = opened(OUTBOX, CALLBACK)
    attention.apply(OfferUp(True))
    attention.apply(Closed(OUTBOX.key))
    assert attention.open == (CALLBACK,)
    assert attention.offer_up, "the offer over it stays up"
    attention.apply(Closed(OUTBOX.key))  # once: a second closing changes nothing
    assert attention.open == (CALLBACK,)


def test_rule_3_an_offer_answered_does_not_come_up_again_while_its_answer_is_on_its_way() -> None:
    """`a` on a chat over my day, the accept slow to come back, the agent typing a wrap-up's notes meanwhile: the
    offer still pending on the desk does not come over the notes (their `a` and `r` would answer it again)."""
    attention = opened(typing=True)
    attention.apply(OfferAnswered("o-1"))
    assert not shows(attention, "o-1")
    attention.apply(OfferAnswered(None))  # refused, and still offered
    assert shows(attention, "o-1")


# --- rule 7 ---------------------------------------------------------------------------------------------------


def test_rule_7_a_key_that_did_all_it_does_in_its_turn_lets_the_next_be_read_at_once() -> None:
    """`e` then the notes in one read: `e`'s binding ran and moved the cursor in its turn, so the next key is read
    at once, where the cursor now is (waiting for nothing, a backend's answer could not overtake the notes)."""
    assert next_key(KeyWasRead(screens_changed=False, in_turn=True, typed_into_focused=False)) is NextKey.AT_ONCE


def test_rule_7_a_key_that_opened_or_closed_a_screen_waits_for_it_whatever_else_it_did() -> None:
    """ctrl+o then a search typed at once: the list mounts in later turns; the search waits for it, not typed before."""
    for in_turn in (True, False):
        for typed in (True, False):
            assert next_key(KeyWasRead(True, in_turn, typed)) is NextKey.ONCE_SETTLED


def test_rule_7_a_letter_typed_into_a_text_box_lets_the_next_go_behind_it_and_any_other_key_waits() -> None:
    assert next_key(KeyWasRead(False, False, typed_into_focused=True)) is NextKey.BEHIND_TYPING
    assert next_key(KeyWasRead(False, False, typed_into_focused=False)) is NextKey.ONCE_SETTLED, (
        "a key handed to a widget that reads it later (a list's enter) is done once the widget has read it"
    )


# --- rule 8 ---------------------------------------------------------------------------------------------------


def test_rule_8_the_agents_e_puts_the_cursor_in_its_wrap_up_as_it_is_drawn_once() -> None:
    """`e` then the notes typed behind it: the wrap-up drawn in the key's turn takes the cursor, so `enter` and the notes
    are its; drawn again later (the agent moved on), it does not take the cursor back."""
    attention = Attention()
    attention.apply(AgentEnded("c-1"))
    assert attention.apply(WrapUpDrawn("c-1")) == [CursorToWrapUp("c-1")]
    assert attention.apply(WrapUpDrawn("c-1")) == []


def test_rule_8_a_contact_the_customer_ended_does_not_move_the_cursor() -> None:
    attention = Attention()
    assert attention.apply(WrapUpDrawn("c-2")) == []
    attention.apply(AgentEnded("c-1"))
    assert attention.apply(WrapUpDrawn("c-2")) == [], "another contact's wrap-up drawn (the customer ended it)"
    assert attention.apply(WrapUpDrawn("c-1")) == [], "once: the chance passed with that drawing"


def test_rule_8_an_end_refused_leaves_the_cursor_where_it_was() -> None:
    """`e` refused before its wrap-up was drawn: no wrap-up shown, nothing takes the cursor, now or later."""
    attention = Attention()
    attention.apply(AgentEnded("c-1"))
    assert attention.apply(WrapUpDrawn(None)) == []
    assert attention.apply(WrapUpDrawn("c-1")) == []
