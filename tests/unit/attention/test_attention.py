"""The rules of the agent's attention (agent_desktop/agent_desk/attention.py; the table in docs/architecture.md),
without a terminal: where an offer shows, whose each key is, what steps aside and what closes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.attention import TYPING_RUN_S, Attention, KeyGoes, Lasts, Overlay, OverlayKind

OUTBOX = Overlay(1, OverlayKind.VIEW, "The outbox")
CALLBACK = Overlay(2, OverlayKind.DIALOG, "The callback", contact_id="c-1")
DISPOSITIONS = Overlay(3, OverlayKind.PICKER, "The disposition list", contact_id="c-1", lasts=Lasts.WHILE_WRAPPING)
OFFER = Overlay(4, OverlayKind.OFFER, "The offer")


def test_an_offer_comes_over_whatever_is_open_or_over_a_text_being_typed() -> None:
    for kind in OverlayKind:
        if kind is OverlayKind.OFFER:
            continue
        attention = Attention()
        attention.open_over_desk([Overlay(9, kind, "x")], typing=False)
        assert attention.offer_comes_over("o-1"), kind
    attention = Attention()
    attention.open_over_desk([], typing=True)
    assert attention.offer_comes_over("o-1")


def test_with_nothing_open_the_card_answers_it_and_what_opens_after_comes_under_it() -> None:
    """The offer on the desk's card, then a moment later (a key of a run of its own) the agent opens my day before
    reading the card: the offer comes over it (it stayed under, `r` went to the view, the offer was missed)."""
    attention = Attention()
    attention.open_over_desk([], typing=False)
    assert not attention.offer_comes_over("o-1")  # in front on the desk's card
    attention.key_seen(11.0)
    attention.open_over_desk([OUTBOX], typing=False)
    assert attention.offer_comes_over("o-1")
    attention.open_over_desk([], typing=True)  # or into a text box
    assert attention.offer_comes_over("o-1")


def test_not_over_what_is_about_the_offered_contact_itself() -> None:
    """The customer to pick for this very caller, opened in the same run as the `v` that made the agent routable."""
    attention = Attention()
    attention.key_seen(9.9)
    picker = Overlay(8, OverlayKind.PICKER, "The customers", contact_id="c-7")
    attention.open_over_desk([picker], typing=False)
    assert not attention.offer_comes_over("o-1", "c-7")
    assert attention.offer_comes_over("o-2", "c-8")


def test_not_over_a_field_about_the_offered_contact_but_over_another_contacts() -> None:
    """The new caller's form on the card of the caller offered: typing their name is part of answering the offer
    (its `a` and `r` are the name's letters). A field about another contact (one in hand) has the offer over it."""
    attention = Attention()
    attention.open_over_desk([], typing=True, typing_about="c-1")
    assert not attention.offer_comes_over("o-1", "c-1")
    assert attention.offer_comes_over("o-2", "c-2")
    attention.open_over_desk([OUTBOX], typing=True, typing_about="c-1")
    assert attention.offer_comes_over("o-1", "c-1"), "a view opened over the form still has the offer over it"


def test_not_twice_and_not_after_escape() -> None:
    attention = Attention()
    attention.open_over_desk([OUTBOX, OFFER], typing=False)
    assert not attention.offer_comes_over("o-1")
    attention.open_over_desk([OUTBOX], typing=False)
    attention.offer_sent_back("o-1")
    assert not attention.offer_comes_over("o-1")
    assert attention.offer_comes_over("o-2")


def test_keys_of_a_run_begun_before_the_offer_go_under_it_and_the_first_after_a_pause_is_the_offers() -> None:
    attention = Attention()
    shown = 10.0
    attention.key_seen(9.9)  # typing when the offer came
    assert attention.key_arrived(10.05, offer_shown_at=shown) is KeyGoes.UNDER
    assert attention.key_arrived(10.3, offer_shown_at=shown) is KeyGoes.UNDER  # still the same run
    assert attention.key_arrived(10.3 + TYPING_RUN_S, offer_shown_at=shown) is KeyGoes.OFFER  # after a pause


def test_a_key_typed_before_the_offer_was_painted_goes_under_though_read_after() -> None:
    attention = Attention()
    assert attention.key_arrived(4.0, offer_shown_at=5.0) is KeyGoes.UNDER


def test_a_run_begun_after_the_offer_is_the_offers() -> None:
    attention = Attention()
    attention.key_seen(1.0)
    assert attention.key_arrived(5.0, offer_shown_at=4.0) is KeyGoes.OFFER
    assert attention.key_arrived(5.1, offer_shown_at=4.0) is KeyGoes.OFFER


@given(
    gaps=st.lists(st.floats(min_value=0.0, max_value=2.0, allow_nan=False), min_size=1, max_size=30),
    shown_after=st.integers(min_value=0, max_value=30),
    delays=st.lists(st.floats(min_value=0.0, max_value=5.0, allow_nan=False), min_size=30, max_size=30),
)
def test_where_a_key_goes_depends_on_when_it_was_typed_never_on_when_it_was_read(
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
    goes = [attention.key_arrived(stamp, offer_shown_at=shown) for stamp in stamps]
    again = Attention()
    read_at = 0.0
    for stamp, delay, expected in zip(stamps, delays, goes, strict=False):
        read_at = max(read_at, stamp) + delay  # (when it is read is not an input of the rule at all)
        assert again.key_arrived(stamp, offer_shown_at=shown) is expected
    run_began = stamps[0]
    for index, stamp in enumerate(stamps):
        if index and stamp - stamps[index - 1] >= TYPING_RUN_S:
            run_began = stamp
        assert (goes[index] is KeyGoes.UNDER) == (run_began < shown)


def test_a_conversation_accepted_over_what_was_open_sets_it_aside_and_it_comes_back_in_order() -> None:
    attention = Attention()
    attention.open_over_desk([OUTBOX, CALLBACK, OFFER], typing=False)
    assert attention.accepted_conversation("c-9") == (OUTBOX, CALLBACK)
    assert attention.bring_back() == (OUTBOX, CALLBACK)
    assert attention.bring_back() == ()


def test_an_overlay_of_a_wrap_up_closes_once_it_is_saved_and_one_about_the_customer_stays() -> None:
    attention = Attention()
    attention.open_over_desk([OUTBOX, CALLBACK, DISPOSITIONS], typing=False)
    assert attention.closing(in_hand={"c-1"}, wrapping={"c-1"}) == []
    closing = attention.closing(in_hand=set(), wrapping=set())
    assert [c.overlay for c in closing] == [DISPOSITIONS]
    assert "saved" in closing[0].why


def test_an_overlay_set_aside_closes_with_its_contact_too() -> None:
    attention = Attention()
    attention.open_over_desk([DISPOSITIONS, OFFER], typing=False)
    attention.accepted_conversation("c-9")
    assert [c.overlay for c in attention.closing(in_hand={"c-9"}, wrapping=set())] == [DISPOSITIONS]
    assert attention.bring_back() == ()
