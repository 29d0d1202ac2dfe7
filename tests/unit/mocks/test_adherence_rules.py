"""Real-time adherence's rules (agent_desktop_mocks/ccaas/workforce/adherence_rules.py): the activity against the
state, an episode out of adherence reported only past the tolerance, and the day's counts, whose sum is the
scheduled time elapsed and whose share is a percentage, whatever the states and the moments they change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.workforce.adherence_rules import OFF, AgentAdherence, Slot, adheres, scheduled_at

# A shift from 100 to 1000: work, a break 300-400, work, lunch 600-700, work.
SHIFT = (
    Slot("work", 100, 300),
    Slot("break", 300, 400),
    Slot("work", 400, 600),
    Slot("lunch", 600, 700),
    Slot("work", 700, 1000),
)
STATES = [("available", None), ("busy", None), ("not_ready", "Break"), ("not_ready", "Lunch"), ("offline", None)]


def scheduled_elapsed(start: float, end: float) -> float:
    return sum(max(0.0, min(end, s.end) - max(start, s.start)) for s in SHIFT)


def test_the_activity_against_the_state() -> None:
    assert scheduled_at(SHIFT, 350) == "break"
    assert scheduled_at(SHIFT, 50) == OFF
    assert scheduled_at(SHIFT, 1000) == OFF
    assert adheres("work", "busy", None)
    assert adheres("work", "available", None)
    assert not adheres("work", "not_ready", "Break")
    assert not adheres("work", "offline", None)
    assert adheres("break", "not_ready", "Break")
    assert not adheres("break", "available", None)
    assert not adheres("lunch", "not_ready", "Break")  # a break taken at lunch time is not the lunch
    assert adheres(OFF, "available", None)
    assert adheres(OFF, "offline", None)  # off shift: nothing measured


def test_still_on_break_past_its_end_is_out_from_the_end_and_reported_only_past_the_tolerance() -> None:
    day = AgentAdherence(SHIFT, "available", None, at=250)
    day.set_state(300, "not_ready", "Break")
    assert day.out_since is None  # on break as scheduled
    day.advance(430)
    assert day.scheduled == "work"
    assert day.out_since == 400  # the break ended at 400: out since then
    assert not day.reported(459, tolerance_s=60)
    assert day.reported(460, tolerance_s=60)
    assert day.next_boundary() == 600
    day.set_state(470, "available", None)
    assert day.out_since is None
    assert not day.reported(470, tolerance_s=60)
    assert (day.in_s, day.out_s) == (50 + 100, 70)
    assert day.pct() == pytest.approx(100 * 150 / 220)


def test_no_scheduled_time_yet_no_percentage() -> None:
    day = AgentAdherence(SHIFT, "offline", None, at=0)
    day.advance(99)
    assert day.pct() is None
    assert day.out_since is None


@given(
    start=st.floats(0, 1100),
    changes=st.lists(st.tuples(st.floats(0, 400), st.sampled_from(STATES)), max_size=12),
)
def test_in_plus_out_is_the_scheduled_time_elapsed_and_the_share_a_percentage(
    start: float, changes: list[tuple[float, tuple[str, str | None]]]
) -> None:
    day = AgentAdherence(SHIFT, "available", None, at=start)
    at = start
    for step, (state, reason) in changes:
        at += step
        day.set_state(at, state, reason)
        assert abs(day.in_s + day.out_s - scheduled_elapsed(start, at)) < 1e-6
        pct = day.pct()
        assert pct is None or 0 <= pct <= 100
        assert (day.out_since is None) == adheres(scheduled_at(SHIFT, at), state, reason)
        assert day.out_since is None or day.out_since <= at
