"""Workforce management as the contact center keeps it: an agent's schedule for the day (shift, breaks,
lunch) and a queue's coverage per half-hour (agents needed by its forecast, agents scheduled, the gap). The desk
works the supervisor's gap chart (agent_desktop/supervisor_desk/workforce/workforce_gap.py) and the agent's schedule strip
(agent_desktop/agent_desk/my_day/schedule_strip.py) out of them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from agent_desktop.domain.models import Model


class ScheduledActivity(Model):
    # A real WFM has more activities than these three (meetings, training): kept as the contact center names them.
    activity: str = Field(min_length=1, description="work, break, lunch, or the contact center's own")
    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> ScheduledActivity:
        if self.end <= self.start:
            raise ValueError(f"activity {self.activity!r} ends at or before its start")
        return self


class AgentSchedule(Model):
    agent_id: str
    day: date
    shift_start: AwareDatetime
    shift_end: AwareDatetime
    activities: tuple[ScheduledActivity, ...] = Field(description="The shift from start to end, in order")

    @model_validator(mode="after")
    def _in_order_within_the_shift(self) -> AgentSchedule:
        if self.shift_end <= self.shift_start:
            raise ValueError("the shift ends at or before its start")
        cursor = self.shift_start
        for activity in self.activities:
            if activity.start < cursor or activity.end > self.shift_end:
                raise ValueError(f"activity {activity.activity!r} overlaps another or falls outside the shift")
            cursor = activity.end
        return self


class CoverageInterval(Model):
    start: AwareDatetime
    needed: int = Field(ge=0, description="Agents the forecast needs (Erlang C)")
    scheduled: float = Field(ge=0, description="Agents scheduled to work (a break counts for its share)")
    gap: float = Field(description="scheduled − needed: below zero, short")


class Coverage(Model):
    day: date
    queues: tuple[str, ...]
    intervals: tuple[CoverageInterval, ...] = Field(description="Half-hours of the opening hours, in order")

    @model_validator(mode="after")
    def _in_order(self) -> Coverage:
        starts = [i.start for i in self.intervals]
        if starts != sorted(set(starts)):
            raise ValueError("coverage intervals out of order or repeated")
        return self


class AgentAdherence(Model):
    """One agent's real-time adherence, as the contact center last told it (a snapshot's row, or an `adherence`
    event on the supervisor's stream)."""

    type: Literal["adherence"] = "adherence"
    agent_id: str
    name: str = ""
    team: str = ""
    scheduled: str = Field(description="work, break, lunch, the contact center's own, or off (outside the shift)")
    state: str
    reason: str | None = None
    in_adherence: bool
    out_of_adherence: bool = Field(description="Out for at least the contact center's tolerance: reported")
    out_since: AwareDatetime | None = None
    adherence_pct: float | None = Field(default=None, ge=0, le=100)
    in_s: float = Field(default=0, ge=0)
    out_s: float = Field(default=0, ge=0)
    at: AwareDatetime


class TeamAdherence(Model):
    team: str
    agents: int = Field(ge=0)
    out_of_adherence: int = Field(ge=0)
    adherence_pct: float | None = Field(default=None, ge=0, le=100)


class AdherenceSnapshot(Model):
    as_of: AwareDatetime
    tolerance_s: float = Field(ge=0)
    agents: tuple[AgentAdherence, ...] = ()
    teams: tuple[TeamAdherence, ...] = ()
