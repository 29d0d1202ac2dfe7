"""The supervisor's gap chart rules: which half-hour is now, the worst gap, and the words that say them
(agent_desktop/supervisor_desk/workforce/workforce_gap.py), without Pilot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.workforce.models import Coverage, CoverageInterval
from agent_desktop.supervisor_desk.workforce.workforce_gap import (
    agents_words,
    current_interval,
    gap_bars,
    gap_chart,
    worst_gap,
)

OPENS = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def coverage(gaps: list[float]) -> Coverage:
    intervals = [
        CoverageInterval(start=OPENS + i * timedelta(minutes=30), needed=10, scheduled=10 + gap, gap=gap)
        for i, gap in enumerate(gaps)
    ]
    return Coverage(day=date(2026, 11, 26), queues=("billing",), intervals=tuple(intervals))


def test_the_worst_gap_and_now_are_said_in_words() -> None:
    chart = gap_chart(coverage([1, -2, -4, -4, 0.5]), OPENS + timedelta(minutes=35))
    assert (chart.worst, chart.now) == (2, 1), "the earliest of the worst; now is the 08:30 half-hour"
    assert chart.words == "Worst: short 4 agents at 09:00. Now (08:30): short 2 agents."


def test_a_covered_day_and_a_closed_hour_say_so() -> None:
    chart = gap_chart(coverage([0, 1.5, 3]), OPENS - timedelta(minutes=1))
    assert chart.worst is None
    assert chart.now is None
    assert chart.words == "Covered all day: no half-hour short. Now: closed."


def test_times_are_said_in_the_supervisors_zone() -> None:
    from zoneinfo import ZoneInfo

    chart = gap_chart(coverage([-1]), OPENS.astimezone(ZoneInfo("America/Chicago")))
    assert chart.words == "Worst: short 1 agent at 02:00. Now (02:00): short 1 agent."


def test_whole_agents_a_share_of_one_short_is_one_short() -> None:
    assert [agents_words(g) for g in (-3.5, -0.25, -1.0000000001, 0, 0.75, 1, 2.5)] == [
        "short 4 agents",
        "short 1 agent",
        "short 1 agent",
        "covered",
        "covered",
        "spare 1 agent",
        "spare 2 agents",
    ]


@given(st.lists(st.integers(-80, 80).map(lambda n: n / 4), min_size=1, max_size=30))  # a break: a share
def test_the_worst_is_the_earliest_lowest_gap_when_any_is_short(gaps: list[float]) -> None:
    worst = worst_gap(tuple(gaps))
    if min(gaps) >= 0:
        assert worst is None
    else:
        assert worst == gaps.index(min(gaps))


@given(st.integers(-120, 24 * 30 + 120))
def test_now_is_the_half_hour_it_falls_in(minutes: int) -> None:
    starts = tuple(OPENS + i * timedelta(minutes=30) for i in range(24))
    now = current_interval(starts, OPENS + timedelta(minutes=minutes))
    assert now == (minutes // 30 if 0 <= minutes < 24 * 30 else None)


def test_spare_grows_above_the_zero_line_and_short_hangs_below_it() -> None:
    above, below = gap_bars((0.0, 2.0, 4.0, -1.0, -4.0, 0.4), per_interval=2, rows=2)
    assert above == ["    ██      ", "  ████      "]
    assert below == ["      ▀▀██  ", "        ██  "]
