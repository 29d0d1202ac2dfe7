"""The offer's countdown on the desk's own clock (agent_desktop/agent_desk/offer_deadline.py), whatever the
contact center's clock says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.offer_deadline import OfferDeadline
from agent_desktop.domain.models import Contact, Offer
from agent_desktop.domain.vocabulary import Channel, ContactState, OfferState

CC_NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def offer(offered_at: datetime = CC_NOW, timeout_s: float = 20, offer_id: str = "o-1") -> Offer:
    contact = Contact(
        id="c-1",
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+1",
        state=ContactState.OFFERED,
        entered_queue_at=offered_at,
    )
    expires_at = offered_at + timedelta(seconds=timeout_s)
    return Offer(
        id=offer_id,
        agent_id="a-1",
        contact=contact,
        state=OfferState.PENDING,
        offered_at=offered_at,
        expires_at=expires_at,
    )


def test_in_step_with_the_contact_center_it_counts_down_from_what_it_said() -> None:
    deadline = OfferDeadline()
    assert deadline.left_s(offer(), CC_NOW + timedelta(seconds=3)) == 17  # delivered 3 s late
    assert deadline.left_s(offer(), CC_NOW + timedelta(seconds=10)) == 10
    assert deadline.left_s(offer(), CC_NOW + timedelta(seconds=30)) == 0


def test_ten_minutes_ahead_or_behind_the_whole_timeout_is_shown_and_counts_down() -> None:
    for skew in (timedelta(minutes=10), -timedelta(minutes=10)):
        deadline = OfferDeadline()
        desk_now = CC_NOW + skew
        assert deadline.left_s(offer(), desk_now) == 20, skew
        assert deadline.left_s(offer(), desk_now + timedelta(seconds=5)) == 15, skew


def test_the_next_offer_is_timed_afresh() -> None:
    deadline = OfferDeadline()
    deadline.left_s(offer(), CC_NOW)
    later = CC_NOW + timedelta(minutes=1)
    assert deadline.left_s(offer(later, offer_id="o-2"), later) == 20


@given(skew_s=st.floats(-3600, 3600), first_look_s=st.floats(0, 30), then_s=st.floats(0, 60))
def test_never_more_than_the_timeout_nor_less_than_nothing_and_never_going_up(
    skew_s: float, first_look_s: float, then_s: float
) -> None:
    deadline = OfferDeadline()
    first = CC_NOW + timedelta(seconds=skew_s + first_look_s)
    a = deadline.left_s(offer(), first)
    b = deadline.left_s(offer(), first + timedelta(seconds=then_s))
    assert 0 <= b <= a <= 20


def test_a_drawing_with_a_stale_clock_does_not_read_as_a_skew() -> None:
    """The screen's clock a tick (or a sleep) old when the offer is first drawn: the end was taken as the offer
    arrived, on the clock as it was then; the stale drawing shows no more than the whole timeout."""
    deadline = OfferDeadline()
    deadline.seen(offer(), CC_NOW + timedelta(seconds=5))
    assert deadline.left_s(offer(), CC_NOW - timedelta(minutes=14)) == 20
    assert deadline.left_s(offer(), CC_NOW + timedelta(seconds=5)) == 15
