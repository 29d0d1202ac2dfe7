"""Supervisors on contacts: modes, participants, who monitors what, and the monitoring events.

The JSON shapes the monitoring console parses (docs/mock-apis.md, "Monitoring"); the mock keeps its own
(agent_desktop_mocks/ccaas/monitoring/schemas.py) and the wire-form contract test proves the two agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from agent_desktop.domain.models import Channel, ContactState, ConversationEvent, Model, MonitorEvent, MonitorMode
from agent_desktop.domain.models.transcription import TranscriptionEvent

__all__ = [
    "MonitorEvent",
    "MonitorMode",
    "MonitoredEvent",
    "Monitoring",
    "MonitoringStreamEvent",
    "Participant",
    "Participants",
]


class Participant(Model):
    id: str
    role: str = Field(description="customer, agent or supervisor")
    name: str
    mode: MonitorMode | None = None
    since: datetime | None = None
    mode_since: datetime | None = None


class Participants(Model):
    contact_id: str
    channel: Channel
    queue_id: str
    state: ContactState
    agent_id: str | None = None
    announced: bool = False
    participants: list[Participant]


class Monitoring(Model):
    """One supervisor on one contact."""

    contact_id: str
    channel: Channel
    queue_id: str
    agent_id: str | None = None
    supervisor_id: str
    supervisor_name: str
    mode: MonitorMode
    since: datetime
    mode_since: datetime


# What the monitoring stream brings: the supervisors' joins and leaves, each watched contact's conversation events,
# and on a call the lines heard (transcription.py).
MonitoredEvent = MonitorEvent | ConversationEvent | TranscriptionEvent
MonitoringStreamEvent = Annotated[MonitoredEvent, Field(discriminator="type")]
