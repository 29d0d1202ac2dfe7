"""The WFM schedules: whatever the need and the number of agents, each agent has one shift within the
day, their breaks and lunch inside it and apart (never in two places), the cover never above the agents there are,
and the greedy placement covers a need the agents can meet."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.workforce.history import INTERVALS
from agent_desktop_mocks.ccaas.workforce.scheduler import (
    FIRST_BREAK,
    LUNCH,
    SECOND_BREAK,
    SHIFT_SLOTS,
    SLOTS_PER_INTERVAL,
    coverage,
    interval_coverage,
    schedule,
)

NEEDS = st.lists(st.integers(min_value=0, max_value=40), min_size=INTERVALS, max_size=INTERVALS)
AGENTS = st.integers(min_value=0, max_value=30).map(lambda n: [f"agent-{i:03d}" for i in range(n)])
SLOTS = INTERVALS * SLOTS_PER_INTERVAL


@given(AGENTS, NEEDS)
def test_an_agent_is_in_one_place_at_a_time_and_within_their_shift(agents: list[str], need: list[int]) -> None:
    shifts = schedule(agents, need)
    assert sorted(s.agent_id for s in shifts) == sorted(agents)  # one shift each
    for shift in shifts:
        assert 0 <= shift.start < shift.end <= SLOTS
        assert shift.end - shift.start == SHIFT_SLOTS
        spans = sorted((a.start, a.end) for a in shift.activities)
        assert [a.kind for a in sorted(shift.activities, key=lambda a: a.start)] == ["break", "lunch", "break"]
        for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
            assert end <= next_start  # apart: never on a break and at lunch at once
        for start, end in spans:
            assert shift.start <= start < end <= shift.end


@given(AGENTS, NEEDS)
def test_breaks_and_lunch_keep_to_their_windows(agents: list[str], need: list[int]) -> None:
    for shift in schedule(agents, need):
        first, lunch, second = sorted(shift.activities, key=lambda a: a.start)
        for activity, (low, high) in ((first, FIRST_BREAK), (lunch, LUNCH), (second, SECOND_BREAK)):
            assert shift.start + low <= activity.start <= shift.start + high


@given(AGENTS, NEEDS)
def test_the_cover_is_never_above_the_agents_there_are(agents: list[str], need: list[int]) -> None:
    shifts = schedule(agents, need)
    assert all(0 <= n <= len(agents) for n in coverage(shifts, SLOTS))
    assert all(0 <= n <= len(agents) for n in interval_coverage(shifts, INTERVALS))


def test_a_need_the_agents_can_meet_is_met_where_no_break_falls() -> None:
    """Two agents, need of one all day: shifts staggered to cover the 12-hour day (8-hour shifts)."""
    shifts = schedule(["agent-001", "agent-002"], [1] * INTERVALS)
    assert {s.start for s in shifts} == {0, SLOTS - SHIFT_SLOTS}
    slots = coverage(shifts, SLOTS)
    assert sum(1 for n in slots if n == 0) <= 4  # at most a break or lunch, where the other agent is not on shift


def test_short_agents_spread_over_the_day_rather_than_all_starting_at_opening() -> None:
    shifts = schedule([f"agent-{i}" for i in range(6)], [20] * INTERVALS)
    assert len({s.start for s in shifts}) > 1
    assert interval_coverage(shifts, INTERVALS)[-1] > 0
