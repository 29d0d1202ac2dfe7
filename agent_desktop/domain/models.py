"""The wire models: the records and events the desktop takes from any backend, as the JSON shapes the HTTP
clients parse (other backends build the same models). The vocabulary they are written in (channels, states,
"in hand") is agent_desktop/domain/vocabulary.py, re-exported here for the backends. The mock servers keep their own schemas and
tests/contract/test_wire_form_contract.py proves the two agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, Self, TypeVar, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.transcription import TranscriptionEvent

# The vocabulary, re-exported for the backends: `X as X` is an explicit re-export (mypy's strict mode re-exports
# nothing else).
from agent_desktop.domain.vocabulary import AWAY as AWAY
from agent_desktop.domain.vocabulary import IN_HAND as IN_HAND
from agent_desktop.domain.vocabulary import TALKING as TALKING
from agent_desktop.domain.vocabulary import AgentState as AgentState
from agent_desktop.domain.vocabulary import Availability as Availability
from agent_desktop.domain.vocabulary import Channel as Channel
from agent_desktop.domain.vocabulary import ConsultState as ConsultState
from agent_desktop.domain.vocabulary import ContactState as ContactState
from agent_desktop.domain.vocabulary import MonitorMode as MonitorMode
from agent_desktop.domain.vocabulary import OfferState as OfferState
from agent_desktop.domain.vocabulary import ParticipantRole as ParticipantRole
from agent_desktop.domain.vocabulary import TargetKind as TargetKind

T = TypeVar("T")


class Model(BaseModel):
    # Backends may add fields we do not know yet; ignore them rather than fail. Each model's validator is
    # built when it is first used (defer_build), not at import: start-up reads a few of these fifty-odd models.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


@overload
def deferred_adapter(type_: type[T]) -> TypeAdapter[T]: ...
@overload
def deferred_adapter(type_: Any) -> TypeAdapter[Any]: ...  # a union (an Annotated one): no type[] can say it
def deferred_adapter(type_: Any) -> TypeAdapter[Any]:
    """A TypeAdapter for a list or a union of these models whose validator, like theirs, is built at its first
    use, not at import (the contact center's five, built at import, were start-up's work before the desk's
    first frame, which reads no event; `desktop_start_to_interactive`). A list's adapter is typed by it; a
    union's is `TypeAdapter[Any]`, so its variable says the union (`TypeAdapter[ContactCenterEvent]`)."""
    return TypeAdapter(type_, config=ConfigDict(defer_build=True))


# Text a customer typed that the contact center hands over outside a conversation's messages (an email's
# subject, the thread it quotes, a callback's reason), and the CRM's free text the customer card draws (a
# name, an address, notes, a case's subject, a past interaction's notes: anyone may have typed a card number
# into the CRM itself): masked as it is read, so every place that draws or sends it (the offer, the card,
# the prefilled "Re:" subject) has it masked. Messages themselves are masked as a conversation
# (`agent_desktop.transcripts.conversation`): a number may be split over several.
CustomerText = Annotated[str, AfterValidator(mask_pci)]


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
    direction: str = Field(default="inbound", description="outbound for a callback the agent dials")
    transferred_from: str | None = Field(
        default=None, description="The contact this one continues, where a transfer made a new one (Twilio: a new task)"
    )

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


# --- contact-center events, as pushed on the agent's stream ----------------


class StreamEvent(Model):
    # The stream's id for the event (increasing); None for one rebuilt from a snapshot after a (re)connect, and
    # for a backend whose stream has none. The conversation events below carry it too.
    event_id: int | None = None


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


# --- conversations of chat, SMS and email contacts (docs/mock-apis.md, "Conversations") ---


class TranscriptItem(ActionAnswer):
    """A message, or an event of the conversation (joined, left, transferred, ended) kept in its transcript."""

    id: str
    contact_id: str
    index: int
    kind: str = Field(
        default="message", description="message, participant_joined/left, transferred, conversation_ended"
    )
    role: ParticipantRole
    participant_id: str | None = None
    display_name: str
    text: str
    created_at: datetime
    delivered_at: datetime | None = Field(default=None, description="Agent messages: reached the customer")
    read_at: datetime | None = Field(default=None, description="Agent messages: read by the customer (chat)")
    subject: CustomerText | None = None
    quoted: CustomerText | None = Field(default=None, description="Email: the earlier thread, quoted")
    segments: int | None = Field(default=None, description="SMS: segments it was sent in")
    encoding: str | None = Field(default=None, description="SMS: GSM-7 or UCS-2")

    @property
    def is_system(self) -> bool:
        return self.kind != "message" or self.role == ParticipantRole.SYSTEM


class TranscriptPage(Model):
    items: list[TranscriptItem] = Field(description="Oldest first")
    has_more: bool = Field(description="Older items exist: ask with before = items[0].id")


class ChannelLimits(Model):
    max_chars: int
    subject_max_chars: int | None = None
    sms_segment_chars: int | None = None


class Conversation(Model):
    contact_id: str
    channel: Channel
    state: Literal["active", "closed"]
    customer_name: CustomerText
    customer_address: str
    subject: CustomerText | None = None
    agent_id: str | None = None
    item_count: int
    unread: int
    agent_last_read_item_id: str | None = None
    customer_last_read_item_id: str | None = None
    customer_typing: bool = False
    last_message_at: datetime | None = None
    last_customer_message_at: datetime | None = None
    inactivity_timeout_s: int | None = None
    inactivity_deadline: datetime | None = Field(default=None, description="Ends by itself then unless someone writes")
    ended_at: datetime | None = None
    ended_reason: str | None = None
    limits: ChannelLimits


class TranscriptItemEvent(StreamEvent):
    """An event that adds an item to a conversation's transcript, and may move its inactivity deadline: a
    message, a participant joining or leaving (the mock sends the last two as one `ParticipantEvent`)."""

    contact_id: str
    item: TranscriptItem
    inactivity_deadline: datetime | None = None


class MessageEvent(TranscriptItemEvent):
    """A new transcript item (a message from anyone, or a system item such as a transfer)."""

    type: Literal["message"] = "message"


class TypingEvent(StreamEvent):
    type: Literal["typing"] = "typing"
    contact_id: str
    role: ParticipantRole
    display_name: str
    typing: bool


class DeliveredEvent(StreamEvent):
    type: Literal["delivered"] = "delivered"
    contact_id: str
    item_id: str
    at: datetime


class ReadEvent(StreamEvent):
    """The customer read the agent's messages up to an item, or the agent's read marker moved."""

    type: Literal["read"] = "read"
    contact_id: str
    role: ParticipantRole
    up_to_item_id: str
    at: datetime


class ParticipantJoinedEvent(TranscriptItemEvent):
    type: Literal["participant_joined"] = "participant_joined"


class ParticipantLeftEvent(TranscriptItemEvent):
    type: Literal["participant_left"] = "participant_left"


class ConversationEndedEvent(StreamEvent):
    type: Literal["conversation_ended"] = "conversation_ended"
    contact_id: str
    reason: str = Field(description="agent_ended, customer_left, customer_inactive, abandoned, transferred_out")
    item: TranscriptItem | None = Field(
        default=None, description="The item that says so, where the contact center writes one (Twilio: none)"
    )


# --- supervisors on contacts (the rest in monitoring_models.py) ---


class MonitorEvent(Model):
    """A supervisor joined a contact, changed mode or left (`mode` None once left)."""

    type: Literal["supervisor_joined", "supervisor_mode_changed", "supervisor_left"]
    contact_id: str
    channel: Channel
    agent_id: str | None = None
    supervisor_id: str
    supervisor_name: str
    mode: MonitorMode | None = None
    previous_mode: MonitorMode | None = None
    reason: str | None = None
    at: datetime


# --- help from the supervisor: flags with their private thread, broadcasts ---


class FlagLine(Model):
    author: Literal["agent", "supervisor"]
    author_id: str = ""
    name: str
    text: str
    at: datetime


class Flag(Model):
    """An agent's call for help on a contact, and the private thread with the supervisors of its queue."""

    id: str
    contact_id: str
    queue_id: str = ""
    channel: Channel | None = None
    agent_id: str
    agent_name: str = ""
    raised_at: datetime
    state: Literal["open", "closed"] = "open"
    closed_at: datetime | None = None
    closed_by: str | None = None
    lines: list[FlagLine] = []  # oldest first; the first is the agent's reason


class FlagEvent(StreamEvent):
    """A flag raised, a line added to its thread, or closed (on the agent's stream and the supervisor's)."""

    type: Literal["flag_raised", "flag_line", "flag_closed"]
    contact_id: str
    flag: Flag
    at: datetime


class Broadcast(Model):
    """A supervisor's short message to a team's or a queue's agents, shown until it expires."""

    id: str
    supervisor_id: str = ""
    supervisor_name: str
    text: str
    queue_id: str | None = None
    sent_at: datetime
    expires_at: datetime
    agent_ids: list[str] = []


class BroadcastEvent(StreamEvent):
    type: Literal["broadcast"] = "broadcast"
    broadcast: Broadcast


# --- quality management: an evaluation released to the agent (forms and reviews: quality_models.py) ---


class EvaluationAnswer(Model):
    question_id: str
    answer: int
    label: str = ""
    comment: str | None = None


class Evaluation(Model):
    """A supervisor's evaluation of a finished contact, scored by the contact center (0–100; 0 when auto-failed)."""

    id: str
    contact_id: str
    channel: Channel | None = None
    queue_id: str = ""
    agent_id: str
    agent_name: str = ""
    form_id: str
    form_name: str = ""
    evaluator_id: str = ""
    evaluator_name: str = ""
    answers: list[EvaluationAnswer] = []
    comments: str = ""
    score: float
    auto_failed: bool = False
    released_at: datetime
    acknowledged_at: datetime | None = None


class EvaluationEvent(StreamEvent):
    """An evaluation released to the agent, or acknowledged by them (on the agent's stream)."""

    type: Literal["evaluation_released", "evaluation_acknowledged"]
    contact_id: str
    evaluation: Evaluation


class EvaluationRecord(Model):
    """What the supervisor's desk writes to the CRM for a released evaluation, once (its outbox, keyed by the
    evaluation's id)."""

    evaluation_id: str
    contact_id: str
    agent_id: str
    queue_id: str | None = None
    channel: Channel | None = None
    form_id: str
    form_name: str
    evaluator_id: str
    evaluator_name: str
    score: float
    auto_failed: bool
    comments: str = ""
    released_at: datetime

    @property
    def key(self) -> str:
        """The outbox entry's dedupe and the write's idempotency key: one per evaluation."""
        return f"evaluation:{self.evaluation_id}"

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationRecord:
        return cls(
            evaluation_id=evaluation.id,
            contact_id=evaluation.contact_id,
            agent_id=evaluation.agent_id,
            queue_id=evaluation.queue_id or None,
            channel=evaluation.channel,
            form_id=evaluation.form_id,
            form_name=evaluation.form_name,
            evaluator_id=evaluation.evaluator_id,
            evaluator_name=evaluation.evaluator_name,
            score=evaluation.score,
            auto_failed=evaluation.auto_failed,
            comments=evaluation.comments,
            released_at=evaluation.released_at,
        )


class EvaluationRecordWritten(EvaluationRecord):
    """The CRM's answer: the record with its own id."""

    id: str
    created_at: datetime


ConversationEvent = (
    MessageEvent
    | TypingEvent
    | DeliveredEvent
    | ReadEvent
    | ParticipantJoinedEvent
    | ParticipantLeftEvent
    | ConversationEndedEvent
)

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
    | TranscriptionEvent,
    Field(discriminator="type"),
]


# --- CRM --------------------------------------------------------------------


class Customer(Model):
    id: str
    name: CustomerText
    phones: list[str] = []
    emails: list[str] = []
    account_number: str | None = None
    language: str | None = None
    tier: str | None = None
    segment: str | None = None
    preferred_channel: Channel | None = None
    contact_hours: CustomerText | None = None
    consent_marketing: bool | None = None
    consent_sms: bool | None = None
    consent_recording: bool | None = None
    # Consent fields the CRM keeps nowhere (a Zendesk account that defines no user field for one), each with the
    # setting that would name where: the desk says that, not "not given".
    consent_unkept: dict[str, str] = {}
    do_not_call: bool = False
    address: CustomerText | None = None
    notes: CustomerText | None = None
    time_zone: str | None = None  # IANA: a callback's time is offered in it


class NewCustomer(Model):
    """A caller the CRM did not know, as the agent (or the desktop) describes them."""

    name: str
    phones: list[str] = []
    emails: list[str] = []
    language: str | None = None


class Account(Model):
    number: str
    customer_id: str
    plan: str
    status: str
    opened_on: date
    balance: float
    currency: str = "USD"
    last_bill_amount: float | None = None
    next_bill_on: date | None = None
    payment_method: str | None = None
    autopay: bool = False


class Order(Model):
    id: str
    customer_id: str
    placed_at: datetime
    item: str
    quantity: int = 1
    total: float
    currency: str = "USD"
    status: str


class TranscriptLine(Model):
    """A message of a chat, SMS or email as the CRM keeps it with the interaction (masked before it left)."""

    role: str
    name: str
    text: str
    at: datetime


class SupervisionRecord(Model):
    """A supervisor joined a contact, changed mode or left, for the CRM: written by the supervisor's
    desk, since the agent's is not told of a silent monitor the contact center does not announce."""

    contact_id: str
    supervisor_id: str
    supervisor_name: str
    event: Literal["joined", "mode_changed", "left"]
    mode: MonitorMode | None = None  # from `at` on; None once left
    at: datetime
    agent_id: str | None = None
    queue_id: str | None = None
    channel: Channel | None = None


class Supervision(SupervisionRecord):
    """A supervision record as the CRM keeps it."""

    id: str
    created_at: datetime | None = None


class Interaction(Model):
    id: str
    customer_id: str | None = None  # None: unattributed (a withheld caller no one identified)
    contact_id: str | None = None
    channel: Channel
    direction: Literal["inbound", "outbound"] = "inbound"
    agent_id: str | None = None
    queue_id: str | None = None
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    disposition: str | None = None
    summary: CustomerText | None = None
    notes: CustomerText | None = None
    transfer_path: list[str] = []
    transcript: list[TranscriptLine] = Field(default=[], description="Only from Crm.interaction(id)")
    transcript_count: int = 0
    private_notes: list[str] = []
    # Supervisors on the contact, from GET by id or by contact: kept for the CRM's own readers (quality
    # review). The agent's desk shows none of it: an unannounced monitor is never shown to the agent.
    supervision: list[Supervision] = []
    evaluations: list[EvaluationRecordWritten] = []  # A supervisor's token only (none for the agents')
    created_at: datetime


class Case(Model):
    id: str
    customer_id: str
    subject: CustomerText
    status: str
    priority: str = "normal"
    owner: str | None = None
    opened_at: datetime
    contact_ids: list[str] = []

    @property
    def is_open(self) -> bool:
        return self.status.lower() != "closed"


class CaseCreate(Model):
    customer_id: str
    subject: str
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    owner: str | None = None
    contact_id: str | None = None


class Note(Model):
    id: str
    customer_id: str
    contact_id: str | None = None
    author: str | None = None
    text: CustomerText
    created_at: datetime


MatchedOn = Literal["phone", "email", "account"]


class CustomerRecord(Model):
    """What the screen pop shows: who the customer is, account, history, cases and orders."""

    customer: Customer
    matched_on: MatchedOn | None = None
    account: Account | None = None
    interactions: list[Interaction] = []
    cases: list[Case] = []
    orders: list[Order] = []


class LookupResult(Model):
    matched_on: MatchedOn | None = None
    customers: list[Customer] = []
    # With `record=true` and exactly one match: their screen-pop record, saving the desktop a round trip.
    record: CustomerRecord | None = None


class InteractionCreate(Model):
    """The outcome of a contact, written back to the CRM at wrap-up."""

    customer_id: str | None  # None: written unattributed (a withheld caller the agent could not identify)
    contact_id: str
    channel: Channel
    direction: Literal["inbound", "outbound"] = "inbound"
    agent_id: str
    queue_id: str
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    disposition: str
    summary: str | None = None
    notes: str = ""
    transfer_path: list[str] = []
    transcript: list[TranscriptLine] = []  # a chat's, SMS's or email's messages, masked
    private_notes: list[str] = []  # the agent's notes on the conversation, never sent to the customer
    # A case the agent linked the contact to, linked by this same write (CrmCapabilities.link_with_wrap_up).
    case_id: str | None = None


# --- presence ---------------------------------------------------------------


class Presence(Model):
    availability: Availability
    activity: str | None = None
    status_message: str | None = None
    changed_at: datetime


class Expert(Model):
    id: str
    name: str
    title: str | None = None
    department: str | None = None
    skills: list[str] = []
    languages: list[str] = []
    time_zone: str | None = None
    address: str | None = Field(default=None, description="Where the CCaaS can reach them (sip: or tel:)")
    presence: Presence


class PresenceEvent(Model):
    type: Literal["presence"] = "presence"
    person_id: str
    presence: Presence


class ExpertMessage(Model):
    """An instant message in the conversation with an expert."""

    id: str
    person_id: str
    direction: Literal["outbound", "inbound"] = Field(description="outbound: to the expert; inbound: their reply")
    text: str
    sender: str | None = None
    sent_at: datetime


class ExpertMessageEvent(Model):
    type: Literal["expert_message"] = "expert_message"  # the conversations' is "message"
    message: ExpertMessage
