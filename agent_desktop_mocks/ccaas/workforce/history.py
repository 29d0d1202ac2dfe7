"""The contact center's own history, per queue, day and half-hour: arrivals and mean handle time (AHT).

Sampled from the simulator's arrival model rather than run through the engine: its callers arrive as a Poisson
process at each queue's rate (SimulatorConfig.arrivals_per_minute × the hour's profile), so counting exponential
gaps over each half-hour gives a day with the same distribution as a simulated one, for weeks in milliseconds
(the engine would take minutes a day). Handle time is the simulator's too: exponential talk (its mean per queue,
floored) plus the mean wrap-up and accept delay. Days differ by the weekday factors below.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

# The contact center's opening hours on a fixed day (UTC), one half-hour an interval; a day laid around a demo's start
# opens at another time (working_day.py) and keeps this day's shape, interval 0 being its opening.
OPENS_HOUR, CLOSES_HOUR = 8, 20
INTERVALS = (CLOSES_HOUR - OPENS_HOUR) * 2
INTERVAL_S = 1800.0
# A contact center's working day (hour of the fixed day → share of the queue's rate): a morning and an
# early-afternoon peak.
DAY_PROFILE = {8: 0.6, 9: 0.9, 10: 1.2, 11: 1.2, 12: 0.9, 13: 1.0, 14: 1.2, 15: 1.1, 16: 1.0, 17: 0.8, 18: 0.6, 19: 0.5}
# Expected arrivals in a half-hour from which a count is drawn from its normal limit, not caller by caller (the
# demo's queues stay below it; a thousand-agent floor's would cost seconds at start).
LARGE = 100.0
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45)  # Monday … Sunday


@dataclass(frozen=True)
class ArrivalModel:
    """What the history is sampled from: each queue's rate per minute and AHT's parts, in seconds."""

    per_minute: dict[str, float]
    mean_talk_s: dict[str, float]
    min_talk_s: float
    after_talk_s: float  # the mean wrap-up and accept delay, added to every contact

    def rate(self, queue_id: str, day: date, interval: int) -> float:
        """Expected arrivals in the half-hour."""
        hour = OPENS_HOUR + interval // 2
        factor = DAY_PROFILE.get(hour, 1.0) * WEEKDAY_FACTOR[day.weekday()]
        return self.per_minute[queue_id] * factor * INTERVAL_S / 60


@dataclass(frozen=True)
class IntervalRecord:
    queue_id: str
    day: date
    interval: int  # 0 is the half-hour from OPENS_HOUR
    arrivals: int
    aht_s: float  # 0 when nothing arrived


def sample_day(model: ArrivalModel, queue_id: str, day: date, rng: random.Random) -> list[IntervalRecord]:
    return [_sample(model, queue_id, day, interval, rng) for interval in range(INTERVALS)]


def sample_history(model: ArrivalModel, until: date, weeks: int, seed: int) -> list[IntervalRecord]:
    """Every queue's half-hours over the `weeks` × 7 days before `until` (not included)."""
    key = (tuple(sorted(model.per_minute.items())), tuple(sorted(model.mean_talk_s.items())))
    return list(_sampled(key, model.min_talk_s, model.after_talk_s, until, weeks, seed))


# The same model, days and seed draw the same history: a process that builds many contact centers (a test
# session, a benchmark) samples it once. Records are frozen, so they are shared.
@functools.lru_cache(maxsize=8)
def _sampled(
    key: tuple[tuple[tuple[str, float], ...], ...],
    min_talk_s: float,
    after_talk_s: float,
    until: date,
    weeks: int,
    seed: int,
) -> tuple[IntervalRecord, ...]:
    per_minute, mean_talk_s = key
    model = ArrivalModel(dict(per_minute), dict(mean_talk_s), min_talk_s, after_talk_s)
    rng = random.Random(seed)
    first = until - timedelta(days=7 * weeks)
    days = [first + timedelta(days=n) for n in range(7 * weeks)]
    return tuple(
        row for day in days for queue_id in sorted(model.per_minute) for row in sample_day(model, queue_id, day, rng)
    )


def _sample(model: ArrivalModel, queue_id: str, day: date, interval: int, rng: random.Random) -> IntervalRecord:
    rate = model.rate(queue_id, day, interval)
    mean = model.mean_talk_s[queue_id]
    if rate >= LARGE:  # a big floor's queue: the normal limits of the same counts and means, drawn in constant time
        arrivals = max(0, round(rng.gauss(rate, math.sqrt(rate))))
        floored_mean = model.min_talk_s + mean * math.exp(-model.min_talk_s / mean)  # E[max(floor, Exp(mean))]
        talk_mean = rng.gauss(floored_mean, mean / math.sqrt(arrivals)) if arrivals else 0.0
        aht = talk_mean + model.after_talk_s if arrivals else 0.0
        return IntervalRecord(queue_id, day, interval, arrivals, round(aht, 1))
    rate_per_s = rate / INTERVAL_S
    arrivals, elapsed = 0, rng.expovariate(rate_per_s) if rate_per_s > 0 else INTERVAL_S
    while elapsed < INTERVAL_S:  # the simulator's callers: exponential gaps between arrivals
        arrivals += 1
        elapsed += rng.expovariate(rate_per_s)
    talk = [max(model.min_talk_s, rng.expovariate(1 / mean)) for _ in range(arrivals)]
    aht = sum(talk) / arrivals + model.after_talk_s if arrivals else 0.0
    return IntervalRecord(queue_id, day, interval, arrivals, round(aht, 1))
