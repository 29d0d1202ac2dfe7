"""JSON shapes of monitoring (docs/mock-apis.md, "Monitoring"), mirrored by agent_desktop/domain/monitoring/participants.py."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, ContactState, Text

MonitorMode = Literal["monitor", "whisper", "barge"]
ParticipantRole = Literal["customer", "agent", "supervisor"]
MonitorChange = Literal["supervisor_joined", "supervisor_mode_changed", "supervisor_left"]


class Participant(BaseModel):
    id: str = Field(description="The customer's address, the agent's id or the supervisor's id")
    role: ParticipantRole
    name: str
    mode: MonitorMode | None = Field(default=None, description="Supervisors only")
    since: datetime | None = Field(default=None, description="Supervisors: when they joined")
    mode_since: datetime | None = Field(default=None, description="Supervisors: when the mode was last set")


class Participants(BaseModel):
    contact_id: str
    channel: Channel
    queue_id: str
    state: ContactState
    agent_id: str | None = None
    announced: bool = Field(description="The contact center's policy tells agents they are monitored")
    participants: list[Participant]


class Monitoring(BaseModel):
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


class MonitorEvent(BaseModel):
    """A supervisor joined, changed mode or left (`mode` None once left; `reason` says why it ended)."""

    type: MonitorChange
    contact_id: str
    channel: Channel
    agent_id: str | None = None
    supervisor_id: str
    supervisor_name: str
    mode: MonitorMode | None = None
    previous_mode: MonitorMode | None = None
    reason: str | None = Field(
        default=None,
        description="supervisor_left: left, contact_ended, taken_over (this supervisor took the call), restart",
    )
    at: datetime


class CustomerView(BaseModel):
    """What the customer's side of a conversation shows: no whispers, no silent supervisor."""

    contact_id: str
    participants: list[str] = Field(description="The names the customer sees taking part")
    items: list[TranscriptItem]
    read_up_to_item_id: str | None = Field(default=None, description="The read receipt the customer was sent")


# --- requests -----------------------------------------------------------------


class MonitorRequest(BaseModel):
    mode: MonitorMode = "monitor"


class SupervisorMessageCreate(BaseModel):
    text: Text = Field(min_length=1, description="Plain text, within the channel's limits; card data is masked")
