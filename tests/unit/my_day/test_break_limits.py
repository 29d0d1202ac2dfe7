"""Breaks with limits: the agent's time left and "over by" (agent_desktop/agent_desk/my_day/break_limits.py),
the supervisor's over-limit mark and its one alert per break (agent_desktop/supervisor_desk/workforce/break_overruns.py).
Hypothesis over times: time left and time on the break add up to the limit, "over" exactly once a whole second
past it, the agent's and the supervisor's rules agree, and a break is told once however often the clock ticks."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.agent_desk.my_day.break_limits import break_clock, limit_words
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Agent, AgentState, BreakLimit, Channel
from agent_desktop.supervisor_desk.workforce.break_overruns import OverrunTracker, overrun_s
from tests.support.desk_events import T0
from tests.support.narrowing import present

LIMITS = {"Lunch": BreakLimit(max_s=1800), "Break": BreakLimit(max_s=900, pauses=[Channel.VOICE, Channel.CHAT])}
ON = ContactCenterCapabilities()
OFF = ContactCenterCapabilities(break_limits=False)


def on_break(reason: str = "Lunch", state: AgentState = AgentState.NOT_READY, since_s: float = 0) -> Agent:
    return Agent(
        id="agent-001",
        name="Alex",
        state=state,
        reason=reason,
        state_since=T0 + timedelta(seconds=since_s),
        not_ready_reasons=list(LIMITS) + ["Meeting"],
        break_limits=LIMITS,
    )


seconds = st.floats(min_value=0, max_value=3 * 86400, allow_nan=False)


@given(seconds)
@example(1800.5)  # within the second the timer still shows as the limit: not over yet
@example(1801.0)
def test_time_left_and_time_on_the_break_add_up_to_the_limit(elapsed: float) -> None:
    clock = break_clock(on_break(), ON, T0 + timedelta(seconds=elapsed))
    assert clock is not None
    assert abs(clock.left_s + elapsed - 1800) < 1e-6
    assert clock.over == (elapsed >= 1801)
    assert clock.text.startswith("over by ") if clock.over else clock.text.endswith(" left")


@given(seconds)
def test_the_agent_and_the_supervisor_agree_on_over_the_limit(elapsed: float) -> None:
    agent, now = on_break(), T0 + timedelta(seconds=elapsed)
    clock = break_clock(agent, ON, now)
    assert clock is not None
    assert clock.over == (overrun_s(agent, now) is not None)


def test_the_words_on_the_status_line() -> None:
    assert present(break_clock(on_break(), ON, T0 + timedelta(seconds=60))).text == "29:00 left"
    assert present(break_clock(on_break(), ON, T0 + timedelta(seconds=1837))).text == "over by 0:37"


@given(seconds, st.sampled_from([AgentState.AVAILABLE, AgentState.BUSY, AgentState.OFFLINE]))
def test_no_clock_off_a_break_on_a_reason_without_limit_or_where_the_backend_has_none(
    elapsed: float, state: AgentState
) -> None:
    now = T0 + timedelta(seconds=elapsed)
    assert break_clock(on_break(state=state), ON, now) is None
    assert overrun_s(on_break(state=state), now) is None
    assert break_clock(on_break("Meeting"), ON, now) is None
    assert overrun_s(on_break("Meeting"), now) is None
    assert break_clock(on_break(), OFF, now) is None


@given(st.lists(st.floats(min_value=0, max_value=600, allow_nan=False), min_size=1, max_size=30))
def test_a_break_over_its_limit_is_told_once_and_the_next_break_again(steps: list[float]) -> None:
    tracker, told, now = OverrunTracker(), 0, T0 + timedelta(seconds=1800)
    for step in steps:
        now += timedelta(seconds=step)
        told += len(tracker.update([on_break()], now))
    assert told == (1 if now - T0 >= timedelta(seconds=1801) else 0)
    later = on_break(since_s=(now - T0).total_seconds() + 10)  # back, then on another lunch
    assert tracker.update([later], now + timedelta(seconds=10)) == []
    fresh = tracker.update([later], now + timedelta(seconds=1900))
    assert [(agent.id, round(over)) for agent, over in fresh] == [("agent-001", 90)]


def test_the_picker_says_the_limit_and_the_channels_paused() -> None:
    assert limit_words(LIMITS["Lunch"]) == "30 min"
    assert limit_words(LIMITS["Break"]) == "15 min, pauses voice and chat"
    assert limit_words(BreakLimit(max_s=90)) == "1:30"
    assert limit_words(None) == ""
