"""What a supervisor sees of the contact center: queue statistics, the floor, and their events.

JSON shapes of the CCaaS supervisor API (/work/plan/ccaas-additions.md, docs/mock-apis.md).
Fields a backend has not sent yet default to None, so an older server still parses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from agent_desktop.domain.models import (
    Agent,
    AgentStateEvent,
    CallCoachingEvent,
    Contact,
    ContactEvent,
    Flag,
    FlagEvent,
    Model,
    OfferClosedEvent,
    OfferEvent,
    Queue,
    QueueStats,
    RecordingEvent,
)
from agent_desktop.domain.supervisor.said_alerts import SaidAlert, SaidAlertEvent
from agent_desktop.domain.workforce.models import AdherenceSnapshot, AgentAdherence

StatsWindow = Literal["15m", "30m", "60m", "today"]


class SupervisedQueue(Queue):
    """A queue as the supervisor manages it: with its routing priority and who may take its contacts."""

    priority: int = 0
    min_proficiency: dict[str, int] = Field(default={}, description="Skill → lowest proficiency (1 when not listed)")


class WindowStats(QueueStats):
    """One queue's statistics over a window (the last 30 minutes, or today)."""

    window: StatsWindow | None = None
    arrived: int | None = None
    answered: int | None = None
    abandoned: int | None = None
    answered_within_threshold: int | None = None
    occupancy_pct: float | None = None
    arrival_rate_per_min: float | None = None
    service_level_target_pct: float | None = None
    service_level_threshold_s: int | None = None
    staffed: int | None = Field(default=None, description="agents logged in with the queue's skills")
    contained: int | None = Field(default=None, description="callers served by IVR self-service")
    ewt_s: float | None = Field(default=None, description="estimated wait of a voice contact entering now")
    callbacks_pending: int | None = None
    oldest_callback_s: float | None = None
    virtual_agent_contained: int | None = Field(
        default=None, description="chats the queue's virtual agent served without a person (none: no virtual agent)"
    )
    virtual_agent_escalated: int | None = Field(default=None, description="chats it handed to a person on a rule")
    virtual_agent_failed: int | None = Field(default=None, description="chats it handed on because its model failed")


class AgentActivity(Model):
    """An agent and the contacts in their hands."""

    agent: Agent
    contacts: list[Contact] = []


class StatsSample(Model):
    """One minute of one queue's history (for the sparklines)."""

    at: datetime
    queue_id: str
    waiting: int
    service_level_pct: float | None = None


class QueueStatsEvent(Model):
    """Pushed every 2 s of engine time when anything changed."""

    type: Literal["queue_stats"] = "queue_stats"
    at: datetime
    today: list[WindowStats] = []
    last_30m: list[WindowStats] = []


class FloorSnapshot(Model):
    """The whole floor as fetched on each (re)connection, so the screen starts from the truth.

    Not sent by the server: the client builds it from the supervisor's GET endpoints.
    """

    type: Literal["floor_snapshot"] = "floor_snapshot"
    at: datetime
    queues: list[SupervisedQueue] = []
    agents: list[AgentActivity] = []
    today: list[WindowStats] = []
    last_30m: list[WindowStats] = []
    history: list[StatsSample] = []
    waiting: list[Contact] = Field(default=[], description="contacts queued or offered in any queue")
    flags: list[Flag] = Field(default=[], description="the open flags of the supervisor's queues, oldest first")
    adherence: AdherenceSnapshot | None = Field(default=None, description="real-time adherence, if kept")
    said_alerts: list[SaidAlert] = Field(default=[], description="alerts from what customers said, contacts going on")
    recording_paused: list[str] = Field(default=[], description="calls whose recording the agent has paused now")


SupervisorEvent = Annotated[
    AgentStateEvent
    | OfferEvent
    | OfferClosedEvent
    | ContactEvent
    | QueueStatsEvent
    | FlagEvent
    | AgentAdherence
    | SaidAlertEvent
    | RecordingEvent
    | CallCoachingEvent,
    Field(discriminator="type"),
]
