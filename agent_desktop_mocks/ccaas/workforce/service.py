"""The contact center's workforce management: the history kept in its database, forecasts and need per queue,
the floor's schedules, and the coverage a supervisor reads (the endpoints are api/routers/workforce.py).

Forecasts are for today and the next six days (the history ends yesterday); the schedule of a day is made the
first time it is asked for, on the floor's total need (every agent counts toward every queue they have a skill
for: the demo's agents are pooled), and kept. Today and its opening time are the working day's (working_day.py):
08:00 UTC, or laid around the first start in a time zone; kept with the history, so a restart keeps them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache

import sqlite_utils

from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Queue
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig, floor_config
from agent_desktop_mocks.ccaas.workforce import forecast as baseline
from agent_desktop_mocks.ccaas.workforce.history import INTERVALS, ArrivalModel, IntervalRecord, sample_history
from agent_desktop_mocks.ccaas.workforce.need import need
from agent_desktop_mocks.ccaas.workforce.scheduler import SLOTS_PER_INTERVAL, Shift, interval_coverage, schedule
from agent_desktop_mocks.ccaas.workforce.schemas import (
    AgentSchedule,
    Coverage,
    CoverageInterval,
    ForecastInterval,
    QueueForecast,
    ScheduledActivity,
)
from agent_desktop_mocks.ccaas.workforce.store import WorkforceStore
from agent_desktop_mocks.ccaas.workforce.working_day import WorkingDay, day_around, fixed_day
from agent_desktop_mocks.common.clock import Clock

HISTORY_WEEKS = baseline.WEEKS + 1  # the last day is held out to measure the forecast
AHEAD_DAYS = 6
SLOT = timedelta(minutes=30 // SLOTS_PER_INTERVAL)
METHOD = f"seasonal baseline: same weekday and half-hour, mean of the last {baseline.WEEKS} weeks"


def arrival_model(config: SimulatorConfig, queues: list[Queue]) -> ArrivalModel:
    """The simulator's rates and handle times, as the history is sampled from them."""
    talk = {
        q.id: sum(
            share * config.handle_s.get(q.id, {}).get(str(ch), config.mean_handle_s)
            for ch, share in config.channel_mix.items()
        )
        / sum(config.channel_mix.values())
        for q in queues
    }
    after = sum(config.wrap_up_s) / 2 + sum(config.accept_delay_s) / 2
    rates = {q.id: config.arrivals_per_minute.get(q.id, 0.0) for q in queues}
    return ArrivalModel(rates, talk, config.min_handle_s, after)


class DayOutOfRange(ValueError):
    """A day the history cannot forecast or the floor has no schedule for (answered 422, naming the range)."""


class Workforce:
    def __init__(
        self, db: sqlite_utils.Database, engine: Engine, clock: Clock, *, seed: int, zone: tzinfo | None = None
    ) -> None:
        """`zone`: lay the working day around the clock's time in that zone at the first start (None: 08:00 UTC)."""
        self._store = WorkforceStore(db)
        self._engine = engine
        self._clock = clock
        self._history = self._store.history()
        if not self._history:
            now = clock.now()
            self.working_day = day_around(now, zone) if zone is not None else fixed_day(now.astimezone(UTC).date())
            model = arrival_model(floor_config(engine), engine.read.queues())
            self._history = sample_history(model, self.working_day.day, HISTORY_WEEKS, seed)
            self._store.save_history(self._history)
            self._store.save_opening(self.working_day.day, self.working_day.opens)
        else:
            today = max(row.day for row in self._history) + timedelta(days=1)  # the day it was made for
            opens = self._store.opening(today)  # None in a database made before the opening was kept: 08:00 UTC
            self.working_day = WorkingDay(today, opens) if opens is not None else fixed_day(today)
        self.today = self.working_day.day
        self._forecast = cache(self._forecast_of)
        self._edits: dict[tuple[date, str], AgentSchedule] = {}  # a supervisor's edits of a day's schedule

    # --- a queue's forecast and need -------------------------------------------------------------

    def forecast(self, queue_id: str, day: date | None) -> QueueForecast:
        """404 an unknown queue; 422 a day the history cannot forecast."""
        queue, day = self._engine.read.queue(queue_id), self._day(day)
        rows = self._forecast(queue_id, day)
        needed = self._need(queue, day)
        opening = self.working_day.opening(day)
        return QueueForecast(
            queue_id=queue_id,
            day=day,
            method=METHOD,
            service_level_target_pct=queue.service_level_target_pct,
            service_level_threshold_s=queue.service_level_threshold_s,
            held_out_wape_pct=_pct(self._held_out_wape(queue_id)),
            intervals=[
                ForecastInterval(
                    start=opening + row.interval * SLOT * SLOTS_PER_INTERVAL,
                    arrivals=row.arrivals,
                    aht_s=row.aht_s,
                    agents_needed=n,
                )
                for row, n in zip(rows, needed, strict=True)
            ],
        )

    def _forecast_of(self, queue_id: str, day: date) -> list[baseline.IntervalForecast]:
        return baseline.seasonal_baseline(self._history, queue_id, day)

    def _need(self, queue: Queue, day: date) -> list[int]:
        return need(self._forecast(queue.id, day), queue.service_level_target_pct, queue.service_level_threshold_s)

    def _held_out_wape(self, queue_id: str) -> float | None:
        held_out = self.today - timedelta(days=1)
        rows = sorted((r for r in self._history if r.queue_id == queue_id and r.day == held_out), key=_interval)
        predicted = [row.arrivals for row in self._forecast(queue_id, held_out)]
        if not any(row.arrivals for row in rows):
            return None  # nothing happened: no percentage to give
        return baseline.wape(predicted, [row.arrivals for row in rows])

    # --- schedules and coverage -------------------------------------------------------------------

    def shifts(self, day: date | None) -> list[Shift]:
        day = self._day(day)
        kept = self._store.shifts(day)
        if kept is not None:
            return kept
        total = [sum(column) for column in zip(*(self._need(q, day) for q in self._engine.read.queues()), strict=True)]
        made = schedule(sorted(a.id for a in self._engine.read.agents()), total)
        self._store.save_shifts(day, made)
        return made

    def schedules(self, day: date | None, agents: list[Agent]) -> list[AgentSchedule]:
        day = self._day(day)
        ids = {a.id for a in agents}
        opening = self.working_day.opening(day)
        return [
            self._edits.get((day, s.agent_id)) or _schedule(s, day, opening)
            for s in self.shifts(day)
            if s.agent_id in ids
        ]

    def schedule_of(self, agent_id: str, day: date | None) -> AgentSchedule:
        self._engine.read.agent(agent_id)  # 404 when unknown
        day = self._day(day)
        edited = self._edits.get((day, agent_id))
        opening = self.working_day.opening(day)
        return edited or next(_schedule(s, day, opening) for s in self.shifts(day) if s.agent_id == agent_id)

    def edit(self, agent_id: str, schedule: AgentSchedule) -> AgentSchedule:
        """A supervisor's edit of the agent's schedule for a day (a schedule exception: a break moved, a meeting
        added), kept in memory and served instead of the one made; the coverage still counts the one made."""
        self._engine.read.agent(agent_id)  # 404 when unknown
        day = self._day(schedule.day)
        self._edits[(day, agent_id)] = edited = schedule.model_copy(update={"agent_id": agent_id, "day": day})
        return edited

    def coverage(self, day: date | None, queue_ids: list[str] | None) -> Coverage:
        """Need of these queues (None: every queue) against the scheduled agents who have a skill for one."""
        day = self._day(day)
        queues = [q for q in self._engine.read.queues() if queue_ids is None or q.id in queue_ids]
        skills = {skill for q in queues for skill in q.skills}
        serving = {a.id for a in self._engine.read.agents() if skills & set(a.skills)}
        needed = [sum(column) for column in zip(*(self._need(q, day) for q in queues), strict=True)]
        scheduled = interval_coverage([s for s in self.shifts(day) if s.agent_id in serving], INTERVALS)
        opening = self.working_day.opening(day)
        return Coverage(
            day=day,
            queues=[q.id for q in queues],
            intervals=[
                CoverageInterval(start=opening + i * SLOT * SLOTS_PER_INTERVAL, needed=n, scheduled=s, gap=s - n)
                for i, (n, s) in enumerate(zip(needed, scheduled, strict=True))
            ],
        )

    def _day(self, day: date | None) -> date:
        day = day or self.today
        if not self.today <= day <= self.today + timedelta(days=AHEAD_DAYS):
            last = self.today + timedelta(days=AHEAD_DAYS)
            raise DayOutOfRange(f"forecasts and schedules are for {self.today} to {last}")
        return day


def _pct(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _interval(row: IntervalRecord) -> int:
    return row.interval


def _schedule(shift: Shift, day: date, opening: datetime) -> AgentSchedule:
    def at(slot: int) -> datetime:
        return opening + slot * SLOT

    activities, cursor = [], shift.start
    for activity in sorted(shift.activities, key=lambda a: a.start):
        if activity.start > cursor:
            activities.append(ScheduledActivity(activity="work", start=at(cursor), end=at(activity.start)))
        activities.append(ScheduledActivity(activity=activity.kind, start=at(activity.start), end=at(activity.end)))
        cursor = activity.end
    if cursor < shift.end:
        activities.append(ScheduledActivity(activity="work", start=at(cursor), end=at(shift.end)))
    return AgentSchedule(
        agent_id=shift.agent_id, day=day, shift_start=at(shift.start), shift_end=at(shift.end), activities=activities
    )
