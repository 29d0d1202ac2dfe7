"""The load `make bench BENCH=relay_floor` puts on the relay (benchmarks/floor_load.py): the rate it claims, over
every worker and call (not only the desks it follows), a call's lines in the order they were said, and an end of
its own: a floor bench that reads the wrong load, or never stops, reports a latency of nothing anyone runs."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.floor_load import floor_rates, floor_schedule
from tests.support.hypothesis_profiles import examples

floors = st.tuples(
    st.integers(0, 60),  # workers
    st.integers(0, 20),  # calls
    st.floats(0.5, 20.0),  # seconds
    st.floats(0.01, 2.0),  # fraction of the floor's rate
    st.integers(0, 2**16),  # seed
)


def test_the_floor_rate_is_the_capacity_models() -> None:
    # docs/backends.md: ~500 reservation callbacks a second for 10,000 agents, ~10,000 lines for 5,000 calls.
    assert floor_rates(10_000, 1_000, 1.0) == (500.0, 2000.0)
    assert floor_rates(10_000, 1_000, 0.05) == (25.0, 100.0)


@settings(max_examples=examples(100))
@given(floors)
def test_the_schedule_sends_the_rate_it_claims_and_ends_by_itself(floor: tuple[int, int, float, float, int]) -> None:
    workers_n, calls_n, seconds, fraction, seed = floor
    workers = [f"WK{n:032x}" for n in range(workers_n)]
    calls = [f"CA{n:032x}" for n in range(calls_n)]
    state_rate, line_rate = floor_rates(workers_n, calls_n, fraction)

    sends = floor_schedule(workers, calls, seconds, fraction, seed)

    kinds = Counter(send.kind for send in sends)
    assert kinds["state"] == int(seconds * state_rate)
    assert kinds["line"] == int(seconds * line_rate)
    assert all(0 <= send.at_s <= seconds for send in sends)
    assert [send.at_s for send in sends] == sorted(send.at_s for send in sends)


@settings(max_examples=examples(100))
@given(floors)
def test_every_worker_and_call_takes_its_turn(floor: tuple[int, int, float, float, int]) -> None:
    workers_n, calls_n, seconds, fraction, seed = floor
    workers = [f"WK{n:032x}" for n in range(workers_n)]
    calls = [f"CA{n:032x}" for n in range(calls_n)]

    sends = floor_schedule(workers, calls, seconds, fraction, seed)

    for kind, whom in (("state", workers), ("line", calls)):
        per = Counter(send.who for send in sends if send.kind == kind)
        assert set(per) <= set(whom)
        if whom:
            counts = [per[who] for who in whom]
            assert max(counts) - min(counts) <= 1  # nobody gets a second callback before everyone had a first


@settings(max_examples=examples(100))
@given(floors)
def test_a_calls_lines_come_in_the_order_they_were_said(floor: tuple[int, int, float, float, int]) -> None:
    workers_n, calls_n, seconds, fraction, seed = floor
    calls = [f"CA{n:032x}" for n in range(calls_n)]

    sends = floor_schedule([f"WK{n:032x}" for n in range(workers_n)], calls, seconds, fraction, seed)

    for call in calls:
        said = [send.sequence for send in sends if send.kind == "line" and send.who == call]
        assert said == list(range(1, len(said) + 1))
