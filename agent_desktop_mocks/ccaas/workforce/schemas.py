"""The workforce endpoints' wire form: a queue's forecast and need, the floor's schedules, the day's coverage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, model_validator


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
    start: AwareDatetime
    end: AwareDatetime


class AgentSchedule(BaseModel):
    agent_id: str
    day: date
    shift_start: AwareDatetime
    shift_end: AwareDatetime
    activities: list[ScheduledActivity] = Field(description="The shift from start to end, in order, no gap")

    @model_validator(mode="after")
    def _in_order_within_the_shift(self) -> AgentSchedule:
        """An edit's activities (a made schedule's always are): in order, inside the shift, none empty."""
        cursor = self.shift_start
        for activity in self.activities:
            if activity.start < cursor or activity.end <= activity.start or activity.end > self.shift_end:
                raise ValueError(f"activity {activity.activity!r} is out of order or outside the shift")
            cursor = activity.end
        return self


class CoverageInterval(BaseModel):
    start: datetime
    needed: int = Field(description="Agents needed, summed over the supervisor's queues")
    scheduled: float = Field(description="Scheduled agents working (a break counts for its share of the half-hour)")
    gap: float = Field(description="scheduled − needed: below zero, short")


class Coverage(BaseModel):
    day: date
    queues: list[str]
    intervals: list[CoverageInterval]


class AgentAdherence(BaseModel):
    type: Literal["adherence"] = "adherence"
    agent_id: str
    name: str
    team: str = Field(description="The agent's team: the first queue (the floor's order) their skills serve")
    queue_ids: list[str] = Field(description="The queues the agent's skills serve (a supervisor's scope)")
    scheduled: str = Field(description="work, break, lunch, or off (outside the shift)")
    state: str
    reason: str | None = None
    in_adherence: bool = Field(description="The state agrees with the schedule now")
    out_of_adherence: bool = Field(description="Out of adherence for at least the tolerance: reported")
    out_since: datetime | None = Field(description="When the current episode out of adherence began")
    adherence_pct: float | None = Field(description="Today: time in adherence ÷ scheduled time so far; null before")
    in_s: float = Field(description="Scheduled time so far in adherence, seconds")
    out_s: float = Field(description="Scheduled time so far out of adherence, seconds")
    at: datetime


class TeamAdherence(BaseModel):
    team: str
    agents: int
    out_of_adherence: int
    adherence_pct: float | None


class AdherenceSnapshot(BaseModel):
    as_of: datetime
    tolerance_s: float = Field(description="How long an agent may be out of adherence before it is reported")
    agents: list[AgentAdherence]
    teams: list[TeamAdherence]
