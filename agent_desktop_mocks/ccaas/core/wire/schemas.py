"""The CCaaS mock's JSON shapes (docs/mock-apis.md).

They mirror the desktop's models field for field and value for value; the mock
keeps its own copy because it must not import the desktop. Fields added by the
routing issue (/work/plan/ccaas-additions.md) have defaults, so older clients
that ignore them keep working.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictBool, StrictInt, ValidationInfo, field_validator

from agent_desktop_mocks.ccaas.core.bot_handoff import BotHandoff
from agent_desktop_mocks.ccaas.core.contact_policy import (
    AutoAccept,
    ResponseTarget,
    WrapUpRule,
    default_targets,
    default_wrap_up,
)
from agent_desktop_mocks.ccaas.core.wire.dial_numbers import dial_number
from agent_desktop_mocks.ccaas.core.wire.routed_work import Callback, Voicemail
from agent_desktop_pci import mask_pci


def _no_lone_surrogates(value: str) -> str:
    """Text a client sends must be encodable (a lone surrogate cannot be stored or answered)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(_no_lone_surrogates)]
# Free text a person typed (a subject, a callback's reason, a transfer note): card data is redacted before
# it is stored, as a contact center's PCI redaction does.
TypedText = Annotated[str, AfterValidator(_no_lone_surrogates), AfterValidator(mask_pci)]


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
TALKING = frozenset({ContactState.CONNECTED, ContactState.ON_HOLD})
WAITING = frozenset({ContactState.QUEUED, ContactState.OFFERED})
TERMINAL = frozenset({ContactState.COMPLETED, ContactState.ABANDONED})


class OfferState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


DEFAULT_CAPACITY = {"voice": 1, "chat": 3, "email": 2, "sms": 3}


class NextState(BaseModel):
    state: Literal[AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE]
    reason: str | None = None


class Colleague(BaseModel):
    """Another agent as the transfer directory lists them to an agent (no proficiencies, no capacities)."""

    id: str
    name: str
    state: AgentState
    reason: str | None = Field(default=None, description="Why not ready, or why missed")
    state_since: datetime
    queues: list[str] = Field(default=[], description="Ids of the queues whose contacts they may take")


class BreakLimit(BaseModel):
    """A not-ready reason's maximum length, and the channels it pauses (Salesforce Omni-Channel's presence
    statuses name theirs); none named: every channel. The mock routes as before: it serves the limit, it does not
    end the break (a supervisor sees it run over)."""

    max_s: StrictInt = Field(gt=0, le=86400, description="How long the break may last")
    pauses: list[Channel] = Field(default=[], description="The channels it pauses; none named: every channel")


class Agent(BaseModel):
    id: str
    name: str
    state: AgentState = Field(
        description="Derived: busy if a contact is connected or on hold, else after_contact_work, else offered, "
        "else the state the agent chose (available, not_ready, offline, missed)"
    )
    reason: str | None = Field(default=None, description="Why not ready, or why missed")
    state_since: datetime = Field(description="When `state` last changed (time in state = now - state_since)")
    skills: list[str] = []
    not_ready_reasons: list[str] = []
    break_limits: dict[str, BreakLimit] = Field(default={}, description="Not-ready reason → its limit; none: no limit")
    proficiency: dict[str, int] = Field(default={}, description="Skill → level 1..5")
    capacity: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_CAPACITY), description="Contacts the agent may hold at once, per channel"
    )
    next_state: NextState | None = Field(default=None, description="Applies when the agent's last contact completes")
    idle_since: datetime | None = Field(
        default=None, description="When the agent last became routable with spare capacity (the longest-idle key)"
    )


class Target(BaseModel):
    kind: Literal["queue", "agent", "address"]
    id: Text = Field(min_length=1, max_length=200, description="Queue id, agent id, or a sip:/tel: address")
    name: Text | None = Field(default=None, max_length=200)


class Consult(BaseModel):
    target: Target
    state: Literal["ringing", "connected", "failed"]
    started_at: datetime


class Handover(BaseModel):
    """What the agent who transferred (or consulted on) a contact left for the next one."""

    note: str = Field(description="Their note, card data masked (what happened so far)")
    by: str = Field(description="The agent's name")
    at: datetime


class AttachedData(BaseModel):
    """What the IVR collected, travelling with the contact (shown on the offer, used for the screen pop)."""

    account_number: Text | None = Field(default=None, max_length=40, description="Captured in the IVR")
    verified: StrictBool = Field(default=False, description="The IVR's identity check passed for that account")
    intent: Text | None = Field(
        default=None, max_length=80, description="What the caller came for, e.g. billing_inquiry"
    )
    menu_path: list[Annotated[Text, Field(max_length=80)]] = Field(
        default=[], max_length=20, description="The menu choices made, in order"
    )
    language: Text | None = Field(default=None, max_length=20, description="Language of the entry number, e.g. en")
    tier: Text | None = Field(default=None, max_length=40, description="Customer tier from the CRM at IVR time")
    vip: StrictBool = False


class PriorityRule(BaseModel):
    """Raise a contact's priority when its attached data matches (every condition given must hold)."""

    tier: Text | None = Field(default=None, max_length=40, description="e.g. Platinum")
    vip: StrictBool | None = None
    verified: StrictBool | None = None
    raise_by: StrictInt = Field(ge=1, le=1000)


class TakenOver(BaseModel):
    """A supervisor who took a call over from its agent: the call went on with them."""

    supervisor_id: str
    name: str = Field(description="The supervisor's name, as the agent is told it")
    at: datetime


EndedBy = Literal["agent", "customer", "system", "transfer", "consult", "takeover"]


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
    ended_by: EndedBy | None = Field(
        default=None,
        description="Who ended the conversation: the agent (`POST …/end`), the customer (a chat's customer left, a "
        "caller on a real SIP call hung up: docs/voice.md), the system (a conversation's inactivity timeout), a "
        "transfer to an outside number, a consult completed to one, or a supervisor's take-over (the call went on "
        "with them: `taken_over_by`); null until it ends, and for a caller who gave up before an agent",
    )
    taken_over_by: TakenOver | None = Field(
        default=None, description="The supervisor who took the call over (`ended_by: takeover`), null otherwise"
    )
    completed_at: datetime | None = None
    disposition: str | None = None
    priority: int = Field(default=0, description="Higher is routed first within the same queue priority")
    hold_s: float = Field(default=0.0, description="Seconds on hold so far")
    held_at: datetime | None = Field(default=None, description="Start of the current hold")
    acw_deadline: datetime | None = Field(default=None, description="ACW ends by itself then (queue's timeout)")
    acw_extensions: int = Field(default=0, description="Extensions of this wrap-up granted so far")
    transfer_path: list[str] = Field(default=[], description="Every transfer hop, e.g. queue:sales, agent:agent-003")
    consult: Consult | None = None
    handled_by: list[str] = Field(default=[], description="Every agent who was connected to it, in order")
    attached: AttachedData | None = Field(default=None, description="What the IVR collected (none: not through it)")
    ewt_s: float | None = Field(default=None, description="Estimated wait announced when it entered the queue")
    callback: Callback | None = Field(default=None, description="Set when the caller chose to be called back")
    voicemail: Voicemail | None = Field(default=None, description="Set when the caller left a message instead")
    direction: Literal["inbound", "outbound"] = Field(
        default="inbound",
        description="outbound: a callback, dialled by the agent who takes it, or a call the agent placed",
    )
    caller_id: str | None = Field(
        default=None, description="A call the agent placed: the number it shows (one of its queue's `caller_ids`)"
    )
    colleague: str | None = Field(
        default=None,
        description="An internal call the agent placed to a colleague of the directory: their name (`from_address` "
        "is their directory address, `direction` outbound)",
    )
    handover: Handover | None = Field(
        default=None,
        description="The note of the last transfer or consult that had one, for the agent it goes to (any channel)",
    )
    transferred_from: str | None = Field(
        default=None,
        description="The contact this one continues where a transfer made a new one: never here (this "
        "contact center keeps one contact, and its id, across transfers; Twilio gives the new segment a new task)",
    )
    handoff: BotHandoff | None = Field(
        default=None, description="Set when the virtual agent on the chat entry escalated the customer to a person"
    )


def last_touched(contact: Contact) -> datetime:
    """The latest moment any statistic counts the contact by (entering, answer, end, completion)."""
    return max(t for t in (contact.entered_queue_at, contact.answered_at, contact.ended_at, contact.completed_at) if t)


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
    priority: int = Field(default=0, description="Routing priority: higher is served first")
    service_level_target_pct: float = 80.0
    service_level_threshold_s: int = 20
    dispositions: list[str] = []
    acw_timeout_s: int | None = Field(default=None, description="After-contact work ends by itself after this")
    response_targets: dict[Channel, ResponseTarget] = Field(
        default_factory=default_targets,
        validate_default=True,
        description="Per written channel: the response-time policy (SLA clocks)",
    )
    wrap_up: dict[Channel, WrapUpRule] = Field(
        default_factory=default_wrap_up,
        validate_default=True,
        description="Per channel: after-contact work's mode, timeout, extension",
    )
    disposition_groups: dict[str, list[str]] = Field(
        default={}, description="Category → its dispositions (the picker's tree); ungrouped ones stand alone"
    )
    auto_accept: dict[Channel, AutoAccept] = Field(
        default={}, description="Per channel: offers accepted by themselves after a countdown (none: every offer waits)"
    )

    @field_validator("response_targets", "wrap_up", mode="after")
    @classmethod
    def _every_channel(cls, value: Mapping[str, object], info: ValidationInfo) -> dict[Channel, object]:
        """A queue that names some channels keeps the floor's defaults for the others."""
        defaults: Mapping[str, object] = (
            default_targets() if info.field_name == "response_targets" else default_wrap_up()
        )
        return {Channel(channel): rule for channel, rule in {**defaults, **value}.items()}

    min_proficiency: dict[str, int] = Field(
        default={}, description="Skill → lowest proficiency an agent needs (1 when not listed)"
    )
    priority_rules: list[PriorityRule] = Field(
        default=[], description="Contact priority raised from attached data: the largest matching raise applies"
    )
    callback_offer_after_s: int | None = Field(
        default=None, description="A voice caller waiting this long may ask for a callback (None: not offered)"
    )
    callback_retry_s: int = Field(default=120, description="Delay before dialling again after no answer")
    callback_max_attempts: int = Field(default=3, description="Dials before the callback fails")
    voicemail_after_s: int | None = Field(default=None, description="A voice caller waiting this long leaves a message")
    voicemail_max_s: int = Field(default=300, ge=1, le=3600, description="A message is cut at this length")
    caller_ids: list[Annotated[str, AfterValidator(dial_number)]] = Field(
        default=[],
        description="The numbers an agent's outbound call from this queue may show (E.164), the first the default; "
        "none: the queue places no calls",
    )


StatsWindow = Literal["15m", "30m", "60m", "today"]


class QueueStats(BaseModel):
    queue_id: str
    queue_name: str
    window: StatsWindow = "today"
    waiting: int = Field(description="Contacts queued or being offered now")
    longest_wait_s: float = Field(description="How long the oldest waiting contact has waited (0 if none)")
    arrived: int = Field(default=0, description="Contacts that entered the queue in the window")
    answered: int = Field(default=0, description="Contacts answered in the window")
    abandoned: int = Field(default=0, description="Contacts abandoned in the window")
    answered_within_threshold: int = 0
    service_level_pct: float | None = Field(
        default=None, description="Answered within the threshold / (answered + abandoned), in %"
    )
    service_level_target_pct: float = 80.0
    service_level_threshold_s: int = 20
    asa_s: float | None = Field(default=None, description="Average speed of answer: mean queue wait of answered")
    aht_s: float | None = Field(default=None, description="Average handle time: talk + hold + ACW of completed")
    abandonment_rate_pct: float | None = Field(
        default=None, description="Of the contacts that entered the queue in the window, the share abandoned, in %"
    )
    occupancy_pct: float | None = Field(
        default=None, description="Agents' time on contacts / (on contacts + available idle), in %"
    )
    arrival_rate_per_min: float | None = None
    staffed: int = Field(default=0, description="Agents with the queue's skills who are not offline")
    agents_by_state: dict[str, int] = Field(default={}, description="Agents with the queue's skills, by state")
    contained: int = Field(default=0, description="Callers served by IVR self-service for this queue in the window")
    ewt_s: float | None = Field(default=None, description="Estimated wait of a voice contact entering the queue now")
    callbacks_pending: int = Field(default=0, description="Callbacks waiting to be dialled now")
    oldest_callback_s: float | None = Field(default=None, description="Age of the oldest pending callback")
    sla_breaches: int = Field(
        default=0, description="Chats, SMS and emails waiting for a reply past the queue's response target now"
    )
    awaiting_reply: int = Field(
        default=0,
        description="Chats, SMS and emails in agents' hands awaiting our reply now: the customer wrote last",
    )
    snoozed: int = Field(default=0, description="Chats, SMS and emails in agents' hands snoozed now")
    scheduled_replies: int = Field(
        default=0, description="Chats, SMS and emails in agents' hands with a reply scheduled to send later"
    )
    # The queue's virtual agent's chats since the start, in every window (null: its chat entry has none).
    virtual_agent_contained: int | None = Field(default=None, description="Chats its virtual agent served alone")
    virtual_agent_escalated: int | None = Field(default=None, description="Chats it handed to a person on a rule")
    virtual_agent_failed: int | None = Field(default=None, description="Chats it handed on as its model failed")


class AgentActivity(BaseModel):
    agent: Agent
    contacts: list[Contact] = []


class StatsSample(BaseModel):
    at: datetime
    queue_id: str
    waiting: int
    service_level_pct: float | None = Field(default=None, description="Over the last 15 minutes")


class Conflict(BaseModel):
    detail: str
    state: str


class Message(BaseModel):
    detail: str
