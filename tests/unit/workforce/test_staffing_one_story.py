"""The staffing advice and the live service level tell one story per queue.

Whatever the last 30 minutes' figures, the Advice cell of the staffing panel never contradicts the
Service lvl cell of the queues panel without naming what it is based on: no advice from a minute of
data ("warming up"), never "OK" beside a settled "Below", never a bare "N short" beside a settled "OK".
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.supervisor.models import QueueStatsEvent, WindowStats
from agent_desktop.staffing.floor import Floor
from agent_desktop.staffing.why_service_level import why_service_level_is_low
from agent_desktop.ui.supervisor.cells import service_level_cell
from agent_desktop.ui.supervisor.staffing.staffing_table import StaffingTable
from tests.support.hypothesis_profiles import examples

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def floor_with(
    *, minutes: float, arrived: int, answered: int, level: float | None, aht: float | None, staffed: int
) -> Floor:
    floor = Floor()
    stats = WindowStats(
        queue_id="billing",
        queue_name="Billing",
        window="30m",
        waiting=0,
        longest_wait_s=0.0,
        service_level_pct=level,
        service_level_target_pct=80,
        service_level_threshold_s=20,
        arrived=arrived,
        answered=answered,
        abandoned=0,
        aht_s=aht,
        arrival_rate_per_min=round(arrived / minutes, 4),
        staffed=staffed,
    )
    floor.apply_stats(QueueStatsEvent(at=T0, last_30m=[stats]))
    floor.now = T0
    return floor


def shown(floor: Floor) -> tuple[str, str]:
    """(the queues panel's service level cell, the staffing panel's advice cell)."""
    target, _ = floor.target_of("billing")
    live = service_level_cell(
        floor.service_level_of("billing"), target, None, few=not floor.service_level_settled("billing")
    )
    row = StaffingTable()._row(floor, "billing", why_service_level_is_low(floor, "billing"))
    return live.plain, row[-1].plain


@settings(max_examples=examples(300), deadline=None)
@given(
    minutes=st.floats(0.2, 30),
    arrived=st.integers(1, 400),
    answered_share=st.floats(0, 1),
    level=st.none() | st.floats(0, 100),
    aht=st.none() | st.floats(10, 600),
    staffed=st.integers(0, 40),
)
def test_the_advice_never_contradicts_the_live_level_without_saying_why(
    minutes: float, arrived: int, answered_share: float, level: float | None, aht: float | None, staffed: int
) -> None:
    floor = floor_with(
        minutes=minutes, arrived=arrived, answered=int(arrived * answered_share), level=level, aht=aht, staffed=staffed
    )
    live, advice = shown(floor)
    if minutes < 5 and staffed:
        assert advice.startswith("warming up:"), advice
        assert "short" not in advice, advice
        assert "OK" not in advice, advice
        return
    if "Below" in live:
        assert not advice.startswith("OK"), (live, advice)
    if live.endswith("OK") and "short" in advice:
        assert "forecast" in advice, (live, advice)
        assert "holds" in advice, (live, advice)


def test_a_minute_after_start_no_queue_is_short() -> None:
    """The issue: every queue "short" a minute after start (the rate of one minute, the first short contacts)."""
    live, advice = shown(floor_with(minutes=1, arrived=9, answered=4, level=100.0, aht=20.0, staffed=1))
    assert advice.startswith("warming up:"), advice
    assert advice.endswith("/min so far"), advice


def test_91_percent_beside_2_short_says_which_is_which() -> None:
    """The issue: a queue at 91 % "OK" beside "2 short · SL staffed 27 %"."""
    live, advice = shown(floor_with(minutes=30, arrived=120, answered=110, level=91.0, aht=120.0, staffed=9))
    assert live.startswith(" 91%")
    assert live.endswith("OK")
    assert advice == "91% holds; forecast 2 short", advice
