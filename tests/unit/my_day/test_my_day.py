"""The agent's figures for today (agent_desktop/agent_desk/my_day/my_day.py). Hypothesis over any run of state changes:
the times in the states add up to the time the day covers, none is negative, and logged in is all of it but
offline. Examples for the rest: handle and wrap-up averages, the answer rate, contacts by channel."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.my_day.my_day import ZERO, answer_rate, duration_words, figures, time_in_states
from agent_desktop.domain.models import Channel, Contact, ContactState
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.domain.workforce.agent_day import AgentDay, OfferCounts, StateSpan
from tests.support.desk_events import T0, contact

spans = st.lists(
    st.tuples(st.sampled_from(list(AgentState)), st.integers(min_value=-600, max_value=8 * 3600)), min_size=1
)


def as_spans(changes: list[tuple[AgentState, int]]) -> list[StateSpan]:
    return [StateSpan(state=state, since=T0 + timedelta(seconds=at)) for state, at in changes]


@given(spans, st.integers(min_value=0, max_value=10 * 3600))
def test_the_times_in_the_states_add_up_to_the_day(changes: list[tuple[AgentState, int]], length_s: int) -> None:
    until = T0 + timedelta(seconds=length_s)
    in_state = time_in_states(as_spans(changes), T0, until)
    assert sum(in_state.values(), ZERO) == until - T0
    assert all(t >= ZERO for t in in_state.values())
    assert set(in_state) <= {state for state, _ in changes}


@given(spans, st.integers(min_value=0, max_value=10 * 3600))
def test_logged_in_is_every_state_but_offline(changes: list[tuple[AgentState, int]], length_s: int) -> None:
    day = AgentDay(
        agent_id="agent-001", since=T0, as_of=T0 + timedelta(seconds=length_s), states=tuple(as_spans(changes))
    )
    seen = figures(day)
    offline = seen.in_state.get(AgentState.OFFLINE, ZERO)
    assert seen.logged_in + offline == day.as_of - day.since


def test_a_state_lasts_until_the_next_and_the_last_until_now() -> None:
    changes = [(AgentState.OFFLINE, 0), (AgentState.AVAILABLE, 60), (AgentState.BUSY, 90), (AgentState.AVAILABLE, 150)]
    in_state = time_in_states(as_spans(changes), T0, T0 + timedelta(seconds=200))
    assert in_state == {
        AgentState.OFFLINE: timedelta(seconds=60),
        AgentState.AVAILABLE: timedelta(seconds=30 + 50),
        AgentState.BUSY: timedelta(seconds=60),
    }


def done(
    contact_id: str, channel: Channel, talk_s: int, wrap_s: int | None, disposition: str | None = "Resolved"
) -> Contact:
    answered = T0 + timedelta(minutes=int(contact_id.split("-")[-1]))
    ended = answered + timedelta(seconds=talk_s)
    return contact(
        contact_id, ContactState.COMPLETED if wrap_s is not None else ContactState.AFTER_CONTACT_WORK
    ).model_copy(
        update={
            "channel": channel,
            "answered_at": answered,
            "ended_at": ended,
            "completed_at": ended + timedelta(seconds=wrap_s) if wrap_s is not None else None,
            "disposition": disposition if wrap_s is not None else None,
        }
    )


def test_handle_and_wrap_up_are_averaged_over_the_contacts_that_have_them() -> None:
    contacts = (
        done("c-1", Channel.VOICE, 120, 30),
        done("c-2", Channel.CHAT, 240, 90, "Escalated"),
        done("c-3", Channel.VOICE, 60, None),  # still in wrap-up: handled, no wrap-up time yet
    )
    day = AgentDay(agent_id="agent-001", since=T0, as_of=T0 + timedelta(hours=1), states=(), contacts=contacts)
    seen = figures(day)
    assert seen.handled == {Channel.VOICE: 2, Channel.CHAT: 1, Channel.EMAIL: 0, Channel.SMS: 0}
    assert seen.in_hand == 0
    assert seen.average_handle == timedelta(seconds=140)
    assert seen.average_wrap_up == timedelta(seconds=60)
    assert [(c.id, c.disposition) for c in seen.contacts] == [("c-3", None), ("c-2", "Escalated"), ("c-1", "Resolved")]


def test_a_contact_still_in_hand_is_not_handled_yet() -> None:
    """Once, "Handled 3" counted an SMS the agent was still answering."""
    sms = contact("c-4", ContactState.CONNECTED).model_copy(
        update={"channel": Channel.SMS, "answered_at": T0 + timedelta(minutes=4)}
    )
    day = AgentDay(
        agent_id="agent-001",
        since=T0,
        as_of=T0 + timedelta(hours=1),
        states=(),
        contacts=(done("c-1", Channel.VOICE, 120, 30), sms),
    )
    seen = figures(day)
    assert (seen.handled_total, seen.handled[Channel.SMS], seen.in_hand) == (1, 0, 1)


def test_the_answer_rate_leaves_out_offers_the_caller_gave_up_on() -> None:
    assert answer_rate(OfferCounts(offered=6, accepted=3, rejected=1, missed=0)) == 0.75
    assert answer_rate(OfferCounts()) is None
    seen = figures(AgentDay(agent_id="a", since=T0, as_of=T0, states=()))
    assert seen.average_handle is None
    assert seen.answer_rate is None
    assert seen.handled_total == 0


def test_durations_read_as_a_clock() -> None:
    assert duration_words(timedelta(seconds=12)) == "0:12"
    assert duration_words(timedelta(minutes=4, seconds=7)) == "4:07"
    assert duration_words(timedelta(hours=1, minutes=5, seconds=9)) == "1:05:09"
    assert duration_words(None) == "—"
