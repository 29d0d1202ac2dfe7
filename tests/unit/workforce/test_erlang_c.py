"""Erlang C against published worked examples, and its invariants (hypothesis)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.staffing.erlang_c import (
    advise,
    agents_needed,
    average_speed_of_answer,
    erlang_b,
    probability_of_waiting,
    service_level,
)
from tests.support.hypothesis_profiles import examples


def test_call_centre_helper_worked_example() -> None:
    """Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls in 30 minutes,
    AHT 180 s (A = 10 erlangs), target 80 % answered in 20 s. Published figures: with 11 agents the
    probability of waiting is 0.6821, the service level 39.0 % and the ASA 122.8 s; 14 agents are
    needed, giving a service level of 88.8 % (P(wait) 0.1741)."""
    traffic = 100 / 1800 * 180
    assert traffic == pytest.approx(10.0)
    assert probability_of_waiting(11, traffic) == pytest.approx(0.6821, abs=5e-4)
    assert round(service_level(11, traffic, 180, 20), 3) == 0.390
    assert average_speed_of_answer(11, traffic, 180) == pytest.approx(122.8, abs=0.05)
    assert agents_needed(traffic, 180, 20, 0.80) == 14
    assert probability_of_waiting(14, traffic) == pytest.approx(0.1741, abs=5e-4)
    assert round(service_level(14, traffic, 180, 20), 3) == 0.888


def test_westbay_worked_example() -> None:
    """Westbay Engineers, "The Erlang-C Formula" (westbay.ndirect.co.uk/erlang.htm, the step-by-step
    example): 360 calls per half hour, 4-minute calls (A = 48 erlangs), 55 agents, 15-second target.
    Published: probability of waiting ≈ 0.239 (23.9 %), ASA 8.2 s, service level 84.6 %, occupancy 87.3 %."""
    traffic = 360 / 1800 * 240
    assert traffic == pytest.approx(48.0)
    assert round(probability_of_waiting(55, traffic), 3) == 0.239
    assert average_speed_of_answer(55, traffic, 240) == pytest.approx(8.2, abs=0.05)
    assert round(service_level(55, traffic, 240, 15), 3) == 0.846
    assert traffic / 55 == pytest.approx(0.873, abs=5e-4)


def exact_erlang_c(agents: int, traffic: Fraction) -> Fraction:
    """The textbook formula in exact rational arithmetic (shared/PRODUCT.md), as a reference."""
    top = traffic**agents / math.factorial(agents) * Fraction(agents) / (agents - traffic)
    return top / (sum(traffic**k / math.factorial(k) for k in range(agents)) + top)


@settings(max_examples=examples(60), deadline=None)
@given(agents=st.integers(1, 60), load=st.fractions(Fraction(1, 100), Fraction(99, 100), max_denominator=100))
def test_agrees_with_the_formula_to_three_decimals(agents: int, load: Fraction) -> None:
    traffic = load * agents
    assert round(probability_of_waiting(agents, float(traffic)), 3) == round(float(exact_erlang_c(agents, traffic)), 3)


@settings(max_examples=examples(200), deadline=None)
@given(agents=st.integers(1, 1000), traffic=st.floats(0.01, 1500, allow_nan=False))
def test_probability_of_waiting_is_a_probability(agents: int, traffic: float) -> None:
    p = probability_of_waiting(agents, traffic)
    assert 0.0 <= p <= 1.0
    assert 0.0 <= erlang_b(agents, traffic) <= 1.0


@settings(max_examples=examples(100), deadline=None)
@given(agents=st.integers(1, 999), load=st.floats(0.05, 0.999))
def test_more_agents_never_wait_more(agents: int, load: float) -> None:
    traffic = load * agents
    assert probability_of_waiting(agents + 1, traffic) <= probability_of_waiting(agents, traffic) + 1e-12
    assert service_level(agents + 1, traffic, 300, 20) >= service_level(agents, traffic, 300, 20) - 1e-12


def test_hundreds_of_agents_do_not_overflow() -> None:
    # A^N / N! alone would overflow a float here (950^1000 ≈ 10^2977).
    p = probability_of_waiting(1000, 950.0)
    assert 0 < p < 1
    assert math.isfinite(p)
    needed = agents_needed(950.0, 300, 20, 0.8)
    assert 950 < needed < 1100
    assert service_level(needed, 950.0, 300, 20) >= 0.8 > service_level(needed - 1, 950.0, 300, 20)


def test_advice_for_a_queue() -> None:
    advice = advise(arrivals_per_min=100 / 30, aht_s=180, threshold_s=20, target_pct=80, staffed=12)
    assert advice.agents_needed == 14
    assert advice.shortfall == 2
    assert advice.staffed_service_level == pytest.approx(0.640, abs=5e-4)
    assert advise(0.0, 180, 20, 80, 3).agents_needed == 0


def test_overloaded_queue_waits_for_ever() -> None:
    assert probability_of_waiting(10, 10.0) == 1.0
    assert math.isinf(average_speed_of_answer(9, 10.0, 180))
    assert service_level(9, 10.0, 180, 20) == 0.0


def test_a_shared_agent_counts_in_part() -> None:
    """Staffed 12.5 (a multi-skilled agent shared half and half): figures between 12 and 13 agents; two
    agents short of the 14 needed means finding two people, and 14.6 staffed leaves none spare."""
    whole = [advise(100 / 30, 180, 20, 80, n) for n in (12, 13)]
    half = advise(100 / 30, 180, 20, 80, 12.5)
    assert whole[0].staffed_service_level < half.staffed_service_level < whole[1].staffed_service_level
    assert half.staffed_service_level == pytest.approx(sum(a.staffed_service_level for a in whole) / 2)
    assert half.shortfall == 2
    assert half.spare == 0
    assert advise(100 / 30, 180, 20, 80, 14.6).spare == 0
    assert advise(100 / 30, 180, 20, 80, 15).spare == 1
    assert math.isinf(advise(100 / 30, 180, 20, 80, 9.5).staffed_asa_s)  # 9 agents cannot keep up with 10 erlangs
