"""The agent's stream: the contact center's own events (the agent's state, an offer, a contact) and the union of
every event the stream carries, told apart by their `type`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from agent_desktop.domain.models.base import StreamEvent
from agent_desktop.domain.models.contact_center import Agent, Contact, Offer
from agent_desktop.domain.models.conversations import ConversationEvent
from agent_desktop.domain.models.flags import BroadcastEvent, FlagEvent
from agent_desktop.domain.models.monitoring import MonitorEvent
from agent_desktop.domain.models.quality import EvaluationEvent
from agent_desktop.domain.models.transcription import TranscriptionEvent


class AgentStateEvent(StreamEvent):
    type: Literal["agent_state"] = "agent_state"
    agent: Agent


class OfferEvent(StreamEvent):
    type: Literal["offer"] = "offer"
    offer: Offer


class OfferClosedEvent(StreamEvent):
    """An offer ended without being accepted (rejected, expired or cancelled)."""

    type: Literal["offer_closed"] = "offer_closed"
    offer: Offer


class ContactEvent(StreamEvent):
    type: Literal["contact"] = "contact"
    contact: Contact


LEVEL_STEPS = 8  # a call's level: 0 nothing heard … 8 full scale (6 dB a step)


class CallLevelEvent(StreamEvent):
    """Each side's level of a real call as the contact center's media passes it on (docs/voice.md), a few times a
    second while it changes (not kept: a reconnect replays none)."""

    type: Literal["call_level"] = "call_level"
    contact_id: str
    customer: int = Field(ge=0, le=LEVEL_STEPS)
    agent: int = Field(ge=0, le=LEVEL_STEPS)


class CallCoachingEvent(StreamEvent):
    """How a real call is being spoken, as the contact center measures it from the call's audio (docs/voice.md
    "Coaching"): each side's share of the time anyone spoke, who started over whom, the long silences, each side's
    words a minute; every couple of seconds while they change, and once more as the call ends (`final`). On the call's
    agent's stream and the supervisor's."""

    type: Literal["call_coaching"] = "call_coaching"
    contact_id: str
    agent_id: str | None = None
    customer_share_pct: int = Field(ge=0, le=100)
    agent_share_pct: int = Field(ge=0, le=100)
    customer_talk_s: float = Field(ge=0)
    agent_talk_s: float = Field(ge=0)
    customer_interruptions: int = Field(ge=0)  # the caller started over the agent
    agent_interruptions: int = Field(ge=0)  # the agent started over the caller
    long_silences: int = Field(ge=0)
    long_silence_s: float = Field(gt=0)  # what counts as a long silence
    longest_silence_s: float = Field(ge=0)
    silent_now_s: float = Field(ge=0)  # neither side speaking for this long, up to now
    customer_wpm: int | None = Field(default=None, ge=0)
    agent_wpm: int | None = Field(default=None, ge=0)
    final: bool = False


class RecordingEvent(StreamEvent):
    """A call's recording paused, resumed or stopped by the contact center (its folder full), on the agent's stream
    and the supervisor's (docs/voice.md "Recording, paused for card data")."""

    type: Literal["recording"] = "recording"
    contact_id: str
    agent_id: str | None = None
    state: Literal["recording", "paused", "stopped", "ended"]
    stopped_reason: str | None = None


ContactCenterEvent = Annotated[
    AgentStateEvent
    | OfferEvent
    | OfferClosedEvent
    | ContactEvent
    | ConversationEvent
    | MonitorEvent
    | FlagEvent
    | BroadcastEvent
    | EvaluationEvent
    | TranscriptionEvent
    | CallLevelEvent
    | CallCoachingEvent
    | RecordingEvent,
    Field(discriminator="type"),
]
