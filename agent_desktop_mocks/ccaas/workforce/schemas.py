"""The workforce endpoints' wire form: a queue's forecast and need, the floor's schedules, the day's coverage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class ForecastInterval(BaseModel):
    start: datetime = Field(description="The half-hour's start, UTC")
    arrivals: float = Field(description="Contacts expected in the half-hour")
    aht_s: float = Field(description="Expected mean handle time, seconds (talk, wrap-up and accept)")
    agents_needed: int = Field(description="Erlang C: the fewest agents meeting the queue's service level")


class QueueForecast(BaseModel):
    queue_id: str
    day: date
    method: str = Field(description="How it was made", examples=["seasonal baseline: same weekday, last 4 weeks"])
    service_level_target_pct: float
    service_level_threshold_s: int
    held_out_wape_pct: float | None = Field(
        description="Its error on the history's last day, held out and forecast the same way (weighted MAPE, %); "
        "null when nothing arrived that day"
    )
    intervals: list[ForecastInterval]


class ScheduledActivity(BaseModel):
    activity: Literal["work", "break", "lunch"]
    start: datetime
    end: datetime


class AgentSchedule(BaseModel):
    agent_id: str
    day: date
    shift_start: datetime
    shift_end: datetime
    activities: list[ScheduledActivity] = Field(description="The shift from start to end, in order, no gap")


class CoverageInterval(BaseModel):
    start: datetime
    needed: int = Field(description="Agents needed, summed over the supervisor's queues")
    scheduled: float = Field(description="Scheduled agents working (a break counts for its share of the half-hour)")
    gap: float = Field(description="scheduled − needed: below zero, short")


class Coverage(BaseModel):
    day: date
    queues: list[str]
    intervals: list[CoverageInterval]
