"""The WFM forecast: a seasonal baseline from four weeks of history, measured on a held-out day.

The bound: a day's count in a half-hour is Poisson(λ), and so is each of the four weeks averaged into the
forecast, so |forecast − actual| has mean √(2/π)·√(λ·(1 + 1/4)) and the WAPE of a day is about
√(2/π)·√1.25·Σ√λ ÷ Σλ — the noise no forecast can beat by much. At the demo's weekday volumes that is under the
issue's 15 %, which the held-out day must meet; each queue must stay within 1.5 times its own noise figure (sales,
the smallest queue, is near 15 % on its own).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest

from agent_desktop_mocks.ccaas.workforce.forecast import NoHistory, seasonal_baseline, wape
from agent_desktop_mocks.ccaas.workforce.history import INTERVALS, ArrivalModel, sample_day, sample_history

DEMO = ArrivalModel(
    per_minute={"billing": 2.4, "tech_support": 1.9, "sales": 1.2},
    mean_talk_s={"billing": 60.0, "tech_support": 60.0, "sales": 60.0},
    min_talk_s=8.0,
    after_talk_s=12.0,
)
HELD_OUT = date(2026, 11, 26)  # a Thursday: the demo's weekday volumes
ISSUE_TARGET = 0.15


def noise_wape(model: ArrivalModel, queues: list[str], day: date, weeks: int = 4) -> float:
    rates = [model.rate(q, day, i) for q in queues for i in range(INTERVALS)]
    return math.sqrt(2 / math.pi) * math.sqrt(1 + 1 / weeks) * sum(map(math.sqrt, rates)) / sum(rates)


def test_the_noise_bound_is_within_the_issues_target_at_weekday_volumes() -> None:
    assert noise_wape(DEMO, list(DEMO.per_minute), HELD_OUT) < ISSUE_TARGET


def test_a_held_out_day_is_forecast_within_the_target() -> None:
    history = sample_history(DEMO, HELD_OUT, weeks=4, seed=7)
    assert HELD_OUT not in {row.day for row in history}
    rng = random.Random(2026)  # the held-out day is drawn apart from the history
    forecast, actual = [], []
    for queue_id in DEMO.per_minute:
        predicted = [row.arrivals for row in seasonal_baseline(history, queue_id, HELD_OUT)]
        happened = [row.arrivals for row in sample_day(DEMO, queue_id, HELD_OUT, rng)]
        assert wape(predicted, happened) <= 1.5 * noise_wape(DEMO, [queue_id], HELD_OUT), queue_id
        forecast += predicted
        actual += happened
    assert wape(forecast, actual) <= ISSUE_TARGET


def test_the_baseline_is_the_mean_of_the_same_weekday_and_interval() -> None:
    history = sample_history(DEMO, HELD_OUT, weeks=4, seed=3)
    forecast = seasonal_baseline(history, "billing", HELD_OUT)
    same_days = {HELD_OUT - timedelta(days=7 * n) for n in range(1, 5)}
    tenth = [r for r in history if r.queue_id == "billing" and r.day in same_days and r.interval == 10]
    assert forecast[10].arrivals == pytest.approx(sum(r.arrivals for r in tenth) / 4, abs=0.01)
    weighted = sum(r.arrivals * r.aht_s for r in tenth) / sum(r.arrivals for r in tenth)
    assert forecast[10].aht_s == pytest.approx(weighted, abs=0.1)
    assert len(forecast) == INTERVALS


def test_the_history_follows_its_model_on_average() -> None:
    """Counting exponential gaps gives Poisson counts: four weeks of billing's 10:00 half-hours average its rate."""
    history = sample_history(DEMO, HELD_OUT, weeks=8, seed=11)
    rows = [r for r in history if r.queue_id == "billing" and r.interval == 4]
    expected = sum(DEMO.rate("billing", r.day, 4) for r in rows)
    assert sum(r.arrivals for r in rows) == pytest.approx(expected, rel=0.05)


def test_no_same_weekday_in_the_history_is_said() -> None:
    history = sample_history(DEMO, HELD_OUT, weeks=1, seed=1)
    with pytest.raises(NoHistory, match="Thursday"):
        seasonal_baseline(history, "billing", HELD_OUT + timedelta(days=35))


def test_wape_weighs_by_volume() -> None:
    assert wape([90, 11], [100, 10]) == pytest.approx(11 / 110)
    with pytest.raises(ValueError, match="nothing happened"):
        wape([1], [0])
