"""The contact center's records: the agent and their colleagues, a contact with what the IVR collected, an offer,
and the queues with their rules (wrap-up, auto-accept, response targets) and figures."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import Field

from agent_desktop.domain.models.base import CustomerText, Model
from agent_desktop.domain.vocabulary import (
    AgentState,
    Channel,
    ConsultState,
    ContactState,
    OfferState,
    TargetKind,
)

ContactEndedBy = Literal[
    "agent", "customer", "system", "transfer", "consult", "takeover"
]  # who ended a contact's conversation (a softphone's call: softphone_protocol.EndedBy)


class TakenOver(Model):
    """A supervisor who took a call over from its agent (`ended_by` takeover): the call went on with them."""

    supervisor_id: str
    name: CustomerText = Field(description="The supervisor's name, as the contact center gives it: drawn literally")
    at: datetime


class NextState(Model):
    """The state an agent on a contact asked for, applied when their last contact is completed."""

    state: AgentState
    reason: str | None = None

    @property
    def label(self) -> str:
        return f"{self.state.label} — {self.reason}" if self.reason else self.state.label


class BreakLimit(Model):
    """How long a not-ready reason may last, and the channels it pauses (none named: every channel)."""

    max_s: int
    pauses: list[Channel] = []

    def left_s(self, since: datetime, now: datetime) -> float:
        """Seconds left of a break begun at `since`; negative once it is over its limit."""
        return self.max_s - (now - since).total_seconds()


class Agent(Model):
    id: str
    name: str
    state: AgentState
    reason: str | None = None
    state_since: datetime
    skills: list[str] = []
    not_ready_reasons: list[str] = []
    break_limits: dict[str, BreakLimit] = {}  # reason → its limit; a reason not named has none
    proficiency: dict[str, int] = {}
    capacity: dict[str, int] = Field(default={}, description="How many contacts of each channel at once")
    next_state: NextState | None = None
    idle_since: datetime | None = None


class Colleague(Model):
    """Another agent, as the contact center's transfer directory lists them: who, where, and free or not."""

    id: str
    name: str
    state: AgentState
    reason: str | None = None
    state_since: datetime
    queues: list[str] = Field(default=[], description="Ids of the queues whose contacts they may take")


class Target(Model):
    """Where a contact is transferred or a consult leg rings."""

    kind: TargetKind
    id: str
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


class Consult(Model):
    """The second leg of a consult transfer: the customer waits on hold meanwhile."""

    target: Target
    state: ConsultState
    started_at: datetime


class AttachedData(Model):
    """What the contact center's IVR collected before the agent (docs/mock-apis.md, "The caller's journey")."""

    account_number: str | None = None
    verified: bool = Field(default=False, description="The IVR's identity check passed for that account")
    intent: str | None = None
    menu_path: list[str] = []
    language: str | None = None
    tier: str | None = None
    vip: bool = False


class Callback(Model):
    """A caller who asked to be called back: the agent who takes the contact dials them."""

    number: str
    reason: CustomerText | None = None
    requested_at: datetime | None = None
    state: str = Field(default="waiting", description="waiting, dialling, answered, no_answer or failed")
    attempts: int = 0
    max_attempts: int | None = None
    retry_at: datetime | None = None


class Voicemail(Model):
    """A message a caller left instead of waiting: offered as a call; the agent hears it and may call the number."""

    number: str = Field(description="The caller's number: the card pops from it, a call back dials it")
    seconds: float = Field(default=0.0, ge=0, description="The message's length")
    transcript: list[CustomerText] = Field(default=[], description="What was recognised of it (masked as it is read)")
    cut: bool = Field(default=False, description="The caller went on past the contact center's longest message")
    max_s: int | None = Field(default=None, description="The longest message: where a message is cut")
    left_at: datetime | None = None
    why: str = Field(default="chosen", description="chosen by the caller, or waited (past the queue's limit)")
    attempts: int = Field(default=0, description="Times it was offered to an agent, this one included")
    audio: bool = Field(default=False, description="Its audio can be played")


class Handover(Model):
    """What the agent who transferred (or consulted on) a contact left for the next one: read on the offer, before
    answering, and beside a call's transcript."""

    note: CustomerText = Field(description="Their note: what happened so far (masked as it is read)")
    by: str = Field(default="", description="The agent's name (empty where the contact center does not say)")
    at: datetime | None = None


class BotLine(Model):
    """A line of the virtual agent's conversation before the person: the customer's or the bot's."""

    role: str = Field(description="customer or virtual_agent")
    text: CustomerText = Field(description="What was said (masked as it is read)")
    at: datetime | None = None


class BotHandoff(Model):
    """What the contact center's virtual agent hands on when it escalates a chat to a person: read on the
    offer before answering (the reason, intent and mood), its lines at the start of the conversation's transcript."""

    reason: str = Field(description="asked_for_person, no_article_twice, mood_falling or model_failed")
    intent: CustomerText | None = Field(default=None, description="What the customer came for, as the bot read it")
    mood: str = Field(default="neutral", description="positive, neutral or negative, from the last message")
    transcript: list[BotLine] = Field(default=[], description="The bot's conversation, oldest first")


class ActionAnswer(Model):
    """What an action answers with (a contact, a sent message), and which events of the agent's stream carry the
    same: the contact center's `X-Event-Ids` (docs/mock-apis.md). The desk applies the answer and drops those
    events by id; empty where a backend does not say (the desk then knows an echo by its content)."""

    event_ids: tuple[int, ...] = Field(default=(), exclude=True, repr=False)

    def without_event_ids(self) -> Self:
        return self.model_copy(update={"event_ids": ()}) if self.event_ids else self


class Contact(ActionAnswer):
    id: str
    channel: Channel
    queue_id: str
    queue_name: str
    from_address: str = Field(description="Caller's phone number or email address, as given")
    subject: CustomerText | None = None
    state: ContactState
    agent_id: str | None = None
    entered_queue_at: datetime
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: ContactEndedBy | None = Field(
        default=None,
        description="Who ended it: the agent, the customer, the system (a timeout), a transfer or consult to an outside "
        "number, a supervisor's take-over",
    )
    taken_over_by: TakenOver | None = None  # the supervisor who took the call over, if one did
    completed_at: datetime | None = None
    disposition: str | None = None
    priority: int = 0
    hold_s: float = Field(default=0.0, description="Seconds on hold before the current hold, if any")
    held_at: datetime | None = Field(default=None, description="When the current hold started")
    acw_deadline: datetime | None = Field(default=None, description="When the queue's ACW timeout completes it")
    acw_extensions: int = Field(default=0, description="Extensions of its wrap-up granted so far")
    transfer_path: list[str] = Field(default=[], description="Queues, agents or addresses the contact passed through")
    consult: Consult | None = None
    attached: AttachedData | None = Field(default=None, description="From the IVR; none when it did not go through one")
    ewt_s: float | None = Field(default=None, description="Estimated wait announced when it entered the queue")
    callback: Callback | None = None
    voicemail: Voicemail | None = None
    direction: str = Field(default="inbound", description="outbound for a callback the agent dials, or a call placed")
    caller_id: str | None = Field(default=None, description="A call the agent placed: the number it shows")
    colleague: str | None = Field(
        default=None, description="An internal call to a colleague of the directory: their name (from_address: theirs)"
    )
    transferred_from: str | None = Field(
        default=None, description="The contact this one continues, where a transfer made a new one (Twilio: a new task)"
    )
    handover: Handover | None = Field(default=None, description="The last transfer's or consult's note, if any")
    handoff: BotHandoff | None = Field(default=None, description="The virtual agent's handoff, if one escalated it")

    def hold_seconds(self, now: datetime) -> float:
        """Total time on hold, the current hold included."""
        current = (now - self.held_at).total_seconds() if self.held_at is not None else 0.0
        return self.hold_s + max(0.0, current)


class Offer(Model):
    id: str
    agent_id: str
    contact: Contact
    state: OfferState
    offered_at: datetime
    expires_at: datetime


class ResponseTarget(Model):
    """How soon a written contact must be answered (the SLA clocks, agent_desktop/agent_desk/conversations/sla_clocks.py)."""

    first_response_s: int
    next_response_s: int
    warn_at_pct: int = 75


WrapUpMode = Literal["optional", "discretionary", "time_boxed", "time_boxed_no_early_exit"]


class WrapUpRule(Model):
    """After-contact work of one channel in one queue (agent_desktop/agent_desk/wrap_up/wrap_up_rules.py says what each mode allows)."""

    mode: WrapUpMode = "time_boxed"
    timeout_s: int | None = None
    extension_s: int = 0
    max_extensions: int = 0
    default_disposition: str | None = None


class AutoAcceptRule(Model):
    """Offers of one channel in one queue are accepted by the desk after this countdown, unless the agent stops it
    (agent_desktop/agent_desk/auto_accept.py)."""

    after_s: int = 3


class Queue(Model):
    id: str
    name: str
    skills: list[str] = []
    priority: int = 0
    service_level_target_pct: float = 80.0
    service_level_threshold_s: int = 20
    dispositions: list[str] = []
    acw_timeout_s: int | None = None
    response_targets: dict[Channel, ResponseTarget] = {}  # none: no SLA clock on this queue's contacts
    wrap_up: dict[Channel, WrapUpRule] = {}  # none: the contact center says nothing of its wrap-up's mode
    disposition_groups: dict[str, list[str]] = {}  # category → dispositions, the picker's tree
    auto_accept: dict[Channel, AutoAcceptRule] = {}  # none: every offer waits for the agent's answer


class QueueStats(Model):
    queue_id: str
    queue_name: str
    waiting: int
    longest_wait_s: float
    service_level_pct: float | None = None
    asa_s: float | None = None
    aht_s: float | None = None
    abandonment_rate_pct: float | None = None
    agents_by_state: dict[str, int] = {}
    sla_breaches: int = 0  # chats, SMS and emails past their response target now
    awaiting_reply: int | None = None  # chats, SMS and emails in agents' hands awaiting our reply (None: not told)
    snoozed: int | None = None  # ...snoozed now (None: not told)
    scheduled_replies: int | None = None  # ...with a reply scheduled to send later (None: not told)
