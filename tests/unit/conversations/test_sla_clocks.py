"""The SLA clocks (agent_desktop/agent_desk/conversations/sla_clocks.py): which reply a customer waits for, since when, and how near the
target it is. Hypothesis over clock times: the level only moves forward as time passes, "now" exactly once the
target has passed, and the time left and the time waited add up to the target."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.conversations.sla_clocks import ClockKind, ClockLevel, clock, contact_clock, waiting_since
from agent_desktop.domain.models import Channel, Contact, ContactState, ParticipantRole, ResponseTarget, TranscriptItem
from tests.support.desk_events import T0, contact

TARGET = ResponseTarget(first_response_s=60, next_response_s=120, warn_at_pct=75)
ORDER = [ClockLevel.OK, ClockLevel.NEAR, ClockLevel.BREACHED]


def message(index: int, role: ParticipantRole, at_s: float, kind: str = "message") -> TranscriptItem:
    return TranscriptItem(
        id=f"m-{index}",
        contact_id="c-1",
        index=index,
        kind=kind,
        role=role,
        display_name=role.value,
        text="hi",
        created_at=T0 + timedelta(seconds=at_s),
    )


def chat(state: ContactState = ContactState.CONNECTED) -> Contact:
    return contact("c-1", state).model_copy(update={"channel": Channel.CHAT})


CUSTOMER, AGENT = ParticipantRole.CUSTOMER, ParticipantRole.AGENT


def test_no_agent_message_yet_is_the_first_response_from_entering_the_queue() -> None:
    assert waiting_since([message(0, CUSTOMER, 5)], False, T0) == ("first", T0)
    assert waiting_since([], False, T0) == ("first", T0)


def test_the_oldest_unanswered_customer_message_starts_the_next_response() -> None:
    items = [message(0, CUSTOMER, 1), message(1, AGENT, 10), message(2, CUSTOMER, 20), message(3, CUSTOMER, 30)]
    assert waiting_since(items, False, T0) == ("next", T0 + timedelta(seconds=20))


def test_the_agent_wrote_last_no_clock_runs() -> None:
    items = [message(0, CUSTOMER, 1), message(1, AGENT, 10), message(2, CUSTOMER, 12, kind="participant_joined")]
    assert waiting_since(items, False, T0) is None
    assert contact_clock(chat(), TARGET, items, False, False, T0) is None


def test_older_items_not_loaded_the_oldest_loaded_customer_message_starts_it() -> None:
    assert waiting_since([message(7, CUSTOMER, 40)], True, T0) == ("next", T0 + timedelta(seconds=40))


def test_voice_wrap_up_ended_or_no_target_show_no_clock() -> None:
    items = [message(0, CUSTOMER, 1)]
    assert contact_clock(contact("c-1", ContactState.CONNECTED), TARGET, items, False, False, T0) is None
    assert contact_clock(chat(ContactState.AFTER_CONTACT_WORK), TARGET, items, False, False, T0) is None
    assert contact_clock(chat(), TARGET, items, False, True, T0) is None
    assert contact_clock(chat(), None, items, False, False, T0) is None
    running = contact_clock(chat(), TARGET, items, False, False, T0 + timedelta(seconds=10))
    assert running is not None
    assert running.kind == "first"
    assert running.text == "0:50"


def test_levels_at_the_edges() -> None:
    assert clock(TARGET, "first", T0, T0 + timedelta(seconds=44)).level is ClockLevel.OK
    assert clock(TARGET, "first", T0, T0 + timedelta(seconds=45)).level is ClockLevel.NEAR
    assert clock(TARGET, "first", T0, T0 + timedelta(seconds=59.9)).level is ClockLevel.NEAR
    breached = clock(TARGET, "first", T0, T0 + timedelta(seconds=60))
    assert breached.level is ClockLevel.BREACHED
    assert breached.text == "now"
    assert clock(TARGET, "next", T0, T0 + timedelta(seconds=60)).level is ClockLevel.OK, "next reply: its own target"


targets = st.builds(
    ResponseTarget,
    first_response_s=st.integers(1, 86_400),
    next_response_s=st.integers(1, 86_400),
    warn_at_pct=st.integers(1, 99),
)
offsets = st.floats(-1_000, 200_000, allow_nan=False)


@given(targets, st.sampled_from(["first", "next"]), offsets, offsets)
def test_a_clock_never_goes_back_and_says_now_exactly_once_past_its_target(
    target: ResponseTarget, kind: ClockKind, a: float, b: float
) -> None:
    earlier, later = sorted((a, b))
    first = clock(target, kind, T0, T0 + timedelta(seconds=earlier))
    second = clock(target, kind, T0, T0 + timedelta(seconds=later))
    assert ORDER.index(first.level) <= ORDER.index(second.level)
    target_s = target.first_response_s if kind == "first" else target.next_response_s
    assert first.due == T0 + timedelta(seconds=target_s)
    assert abs(first.left_s + earlier - target_s) < 1e-6
    assert (second.level is ClockLevel.BREACHED) == (later >= target_s)
    assert (second.text == "now") == (second.level is ClockLevel.BREACHED)
