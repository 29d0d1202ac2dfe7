"""A queue's agents' time together (agent_time.Crew), read at any moment, is the sum of each agent's: the occupancy
a supervisor reads for a window is that of the agents' states, however their changes arrived (a late one bends the
line in the middle) and whatever the window's start read before (`at` starts from the segment it found last)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState
from agent_desktop_mocks.ccaas.figures.agent_time import AgentTime, Crew
from tests.support.hypothesis_profiles import examples

STATES = list(AgentState)
changes = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 50), st.sampled_from(STATES), st.integers(-60, 200), st.booleans()),
    max_size=60,
)


@settings(max_examples=examples(300), deadline=None)
@given(changes)
def test_a_crew_read_at_any_moment_is_the_sum_of_its_agents(
    steps: list[tuple[int, int, AgentState, int, bool]],
) -> None:
    members = [AgentTime(0, AgentState.OFFLINE, 0) for _ in range(3)]
    crew = Crew(members)
    kept_from = 0  # what the crew holds from (older changes dropped, as the fold does)
    start = 0  # a window's start, moving on
    for who, after, state, probe, drop in steps:
        timeline = members[who]
        was = timeline.state
        at = timeline.change(timeline.starts[-1] + after, state)
        if at is not None and not crew.change(at, was, state):
            crew, kept_from = Crew(members), 0  # a change before what is kept: counted again (as queue_figures does)
        start += max(0, probe)
        for t in (start, max(kept_from, start + probe), max(t for m in members for t in m.starts) + abs(probe)):
            if t >= kept_from:
                assert crew.at(t) == tuple(map(sum, zip(*(m.at(t) for m in members), strict=True))), t
        if drop and start > kept_from:
            crew.drop_before(start)
            kept_from = start
