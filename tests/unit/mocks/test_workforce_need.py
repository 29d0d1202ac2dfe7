"""The agents each half-hour needs: the mock's Erlang C agrees with the desk's, an independent
implementation (the Erlang B recursion, agent_desktop/staffing/erlang_c.py), and more arrivals never need fewer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.staffing import erlang_c
from agent_desktop_mocks.ccaas.workforce.forecast import IntervalForecast
from agent_desktop_mocks.ccaas.workforce.need import agents_for, need, waiting_probability

ARRIVALS = st.floats(min_value=0, max_value=3000, allow_nan=False)
AHT = st.floats(min_value=10, max_value=900, allow_nan=False)
TARGET = st.floats(min_value=0.5, max_value=0.95)
THRESHOLD = st.integers(min_value=5, max_value=120)


@given(ARRIVALS, AHT, TARGET, THRESHOLD)
def test_the_need_agrees_with_the_desks_erlang_c(arrivals: float, aht: float, target: float, threshold: int) -> None:
    erlangs = arrivals * aht / 1800
    assert agents_for(arrivals, aht, target, threshold) == erlang_c.agents_needed(erlangs, aht, threshold, target)


@given(st.integers(min_value=1, max_value=400), st.floats(min_value=0.01, max_value=399))
def test_the_waiting_probability_agrees_with_the_desks(agents: int, erlangs: float) -> None:
    desk = erlang_c.probability_of_waiting(agents, erlangs)
    assert abs(waiting_probability(agents, erlangs) - desk) < 1e-9


@given(ARRIVALS, ARRIVALS, AHT, TARGET, THRESHOLD)
def test_more_arrivals_never_need_fewer_agents(a: float, b: float, aht: float, target: float, threshold: int) -> None:
    low, high = sorted((a, b))
    assert agents_for(low, aht, target, threshold) <= agents_for(high, aht, target, threshold)


def test_a_quiet_half_hour_needs_nobody_and_a_known_case_its_textbook_figure() -> None:
    forecast = [IntervalForecast(0, 0.0, 0.0), IntervalForecast(1, 100.0, 180.0)]
    assert need(forecast, 80, 20) == [0, 14]  # 10 erlangs, 80/20: 14 agents (the textbook's table)
