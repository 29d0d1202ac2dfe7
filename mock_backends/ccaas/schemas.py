"""The CCaaS mock's JSON shapes (docs/mock-apis.md).

They mirror the desktop's models field for field and value for value; the mock
keeps its own copy because it must not import the desktop.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"


class AgentState(StrEnum):
    OFFLINE = "offline"
    AVAILABLE = "available"
    NOT_READY = "not_ready"
    OFFERED = "offered"
    BUSY = "busy"
    AFTER_CONTACT_WORK = "after_contact_work"
    MISSED = "missed"


class ContactState(StrEnum):
    QUEUED = "queued"
    OFFERED = "offered"
    CONNECTED = "connected"
    ON_HOLD = "on_hold"
    AFTER_CONTACT_WORK = "after_contact_work"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


IN_HAND = frozenset({ContactState.CONNECTED, ContactState.ON_HOLD, ContactState.AFTER_CONTACT_WORK})


class OfferState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Agent(BaseModel):
    id: str
    name: str
    state: AgentState
    reason: str | None = Field(default=None, description="Why not ready, or why missed")
    state_since: datetime
    skills: list[str] = []
    not_ready_reasons: list[str] = []


class Contact(BaseModel):
    id: str
    channel: Channel
    queue_id: str
    queue_name: str
    from_address: str = Field(description="Caller's phone number or email address, as given")
    subject: str | None = None
    state: ContactState
    agent_id: str | None = None
    entered_queue_at: datetime
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = Field(default=None, description="Conversation ended, or the caller gave up")
    completed_at: datetime | None = None
    disposition: str | None = None


class Offer(BaseModel):
    id: str
    agent_id: str
    contact: Contact
    state: OfferState
    offered_at: datetime
    expires_at: datetime


class Queue(BaseModel):
    id: str
    name: str
    skills: list[str] = []
    priority: int = Field(default=1, description="Routing priority: 1 is served first")
    service_level_target_pct: float = 80.0
    service_level_threshold_s: int = 20
    dispositions: list[str] = []
    acw_timeout_s: int | None = None


class QueueStats(BaseModel):
    queue_id: str
    queue_name: str
    waiting: int = Field(description="Contacts queued or being offered (not yet answered)")
    longest_wait_s: float = Field(description="How long the oldest waiting contact has waited (0 if none)")
    service_level_pct: float | None = Field(
        default=None, description="Answered within the threshold / (answered + abandoned), in %"
    )
    asa_s: float | None = Field(default=None, description="Average speed of answer: mean queue wait of answered")
    aht_s: float | None = Field(default=None, description="Average handle time: talk + hold + ACW of completed")
    abandonment_rate_pct: float | None = Field(default=None, description="Abandoned / (answered + abandoned), in %")
    agents_by_state: dict[str, int] = Field(default={}, description="Agents with the queue's skills, by state")


# --- requests -----------------------------------------------------------------


class StateChange(BaseModel):
    state: Literal[AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE]
    reason: str | None = Field(default=None, description="Required for not_ready: one of the agent's reasons")


class Completion(BaseModel):
    disposition: str = Field(description="One of the queue's dispositions")


class ContactCreate(BaseModel):
    queue_id: str
    channel: Channel
    from_address: str
    subject: str | None = None


# --- events (the `data:` of each Server-Sent Event) ---------------------------


class AgentStateEvent(BaseModel):
    type: Literal["agent_state"] = "agent_state"
    agent: Agent


class OfferEvent(BaseModel):
    type: Literal["offer"] = "offer"
    offer: Offer


class OfferClosedEvent(BaseModel):
    type: Literal["offer_closed"] = "offer_closed"
    offer: Offer


class ContactEvent(BaseModel):
    type: Literal["contact"] = "contact"
    contact: Contact


class Conflict(BaseModel):
    detail: str
    state: str


class Message(BaseModel):
    detail: str
