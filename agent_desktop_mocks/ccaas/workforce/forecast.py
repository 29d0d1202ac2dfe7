"""The forecast per queue and half-hour: a seasonal baseline, and its error against what happened.

For a day and interval: the mean arrivals of the same weekday and interval over the last `weeks` weeks of the
history, and the AHT of those intervals weighted by their arrivals. Chosen over Holt-Winters because the
simulated history has a fixed weekly pattern and no trend: the baseline is unbiased there, needs no new
dependency, and its error is the Poisson noise of the day itself plus that of a mean of `weeks` samples, which
the tests can state (tests/unit/mocks/test_workforce_forecast.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from agent_desktop_mocks.ccaas.workforce.history import INTERVALS, IntervalRecord

WEEKS = 4


@dataclass(frozen=True)
class IntervalForecast:
    interval: int
    arrivals: float
    aht_s: float


class NoHistory(ValueError):
    """No same weekday in the history to forecast from."""


def seasonal_baseline(
    history: Iterable[IntervalRecord], queue_id: str, day: date, weeks: int = WEEKS
) -> list[IntervalForecast]:
    """The queue's forecast for `day` from the same weekday of the `weeks` weeks before it that the history has."""
    same_days = {day - timedelta(days=7 * n) for n in range(1, weeks + 1)}
    rows = [row for row in history if row.queue_id == queue_id and row.day in same_days]
    days_found = {row.day for row in rows}
    if not days_found:
        raise NoHistory(f"no {day:%A} of the last {weeks} weeks in the {queue_id} history")
    forecast = []
    for interval in range(INTERVALS):
        these = [row for row in rows if row.interval == interval]
        arrivals = sum(row.arrivals for row in these)
        handled = sum(row.arrivals * row.aht_s for row in these)
        forecast.append(
            IntervalForecast(
                interval, round(arrivals / len(days_found), 2), round(handled / arrivals, 1) if arrivals else 0.0
            )
        )
    return forecast


def wape(forecast: Iterable[float], actual: Iterable[float]) -> float:
    """Weighted absolute percentage error (a share): Σ|forecast − actual| ÷ Σ actual, so quiet intervals, where a
    few contacts are a large percentage, weigh as little as they matter to staffing."""
    pairs = list(zip(forecast, actual, strict=True))
    total = sum(a for _, a in pairs)
    if total <= 0:
        raise ValueError("nothing happened: the error of a forecast of nothing is not a percentage")
    return sum(abs(f - a) for f, a in pairs) / total
