"""The CRM's JSON shapes (the desktop's `Customer`, `Interaction`, `Case`, `CustomerRecord`...)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictFloat, field_validator

from agent_desktop_mocks.crm.limits import (
    NOTES_MAX_CHARS,
    PRIVATE_NOTE_MAX_CHARS,
    PRIVATE_NOTES_MAX,
    TRANSCRIPT_ITEM_MAX_CHARS,
    TRANSCRIPT_MAX_ITEMS,
    TRANSCRIPT_NAME_MAX_CHARS,
)
from agent_desktop_mocks.crm.phones import looks_like_email, normalise_phone
from agent_desktop_mocks.crm.time_zones import checked_zone


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"


Direction = Literal["inbound", "outbound"]
EndedBy = Literal["agent", "customer", "system", "transfer", "consult", "takeover"]
MatchedOn = Literal["phone", "email", "account"]
CaseStatus = Literal["open", "pending", "closed"]
Priority = Literal["low", "normal", "high", "urgent"]


class Customer(BaseModel):
    id: str = Field(examples=["cus-000001"])
    name: str
    phones: list[str] = Field(default=[], description="E.164 numbers")
    emails: list[str] = []
    account_number: str | None = Field(default=None, examples=["ACC-48213377"])
    language: str | None = Field(default=None, description="ISO 639-1 code", examples=["en"])
    tier: str | None = Field(default=None, examples=["Gold"])
    segment: str | None = Field(default=None, examples=["Consumer", "Small business"])
    preferred_channel: Channel | None = Field(default=None, description="How the customer likes to be contacted")
    contact_hours: str | None = Field(default=None, examples=["after 17:00"])
    consent_marketing: bool | None = None
    consent_sms: bool | None = None
    consent_recording: bool | None = Field(default=None, description="Agreed to calls being recorded")
    do_not_call: bool = False
    address: str | None = None
    notes: str | None = None
    time_zone: str | None = Field(default=None, description="IANA time zone", examples=["America/Chicago"])


def _normalised_phones(phones: list[str]) -> list[str]:
    normalised = []
    for raw in phones:
        e164 = normalise_phone(raw)
        if e164 is None:
            raise ValueError(f"{raw!r} is not a phone number")
        if e164 not in normalised:
            normalised.append(e164)
    return normalised


class CustomerCreate(BaseModel):
    name: str = Field(min_length=1, max_length=20_000)
    phones: list[str] = Field(
        default=[], max_length=10, description="Any written form; stored in E.164 (default region US)"
    )
    emails: list[str] = Field(default=[], max_length=10)
    language: str | None = Field(default=None, max_length=8)
    tier: str | None = Field(default=None, max_length=40)
    segment: str | None = Field(default=None, max_length=40)
    preferred_channel: Channel | None = None
    consent_marketing: StrictBool | None = None
    consent_sms: StrictBool | None = None
    notes: str | None = Field(default=None, max_length=20_000)
    time_zone: str | None = Field(default=None, max_length=64, description="IANA time zone", examples=["Europe/Paris"])

    @field_validator("time_zone")
    @classmethod
    def _check_time_zone(cls, name: str | None) -> str | None:
        return checked_zone(name)

    @field_validator("phones")
    @classmethod
    def _normalise_phones(cls, phones: list[str]) -> list[str]:
        return _normalised_phones(phones)

    @field_validator("emails")
    @classmethod
    def _check_emails(cls, emails: list[str]) -> list[str]:
        for raw in emails:
            if not looks_like_email(raw):
                raise ValueError(f"{raw!r} is not an email address")
        return [raw.strip() for raw in emails]


class Account(BaseModel):
    """The customer's account and its billing."""

    number: str = Field(examples=["ACC-48213377"])
    customer_id: str
    plan: str = Field(examples=["Unlimited 5G"])
    status: Literal["active", "suspended", "closed"]
    opened_on: date
    balance: float = Field(description="Amount owed now, in `currency`")
    currency: str = "USD"
    last_bill_amount: float | None = None
    next_bill_on: date | None = None
    payment_method: str | None = Field(default=None, description="Masked, e.g. `Visa •••• 4242`")
    autopay: bool = False


class Order(BaseModel):
    id: str = Field(examples=["ord-000001"])
    customer_id: str
    placed_at: datetime
    item: str
    quantity: int = 1
    total: float
    currency: str = "USD"
    status: Literal["placed", "shipped", "delivered", "returned", "cancelled"]


class TranscriptLine(BaseModel):
    """One message of a chat, SMS or email, as the desktop kept it (card data already masked)."""

    role: Literal["customer", "agent", "system", "supervisor"]
    name: str = Field(max_length=TRANSCRIPT_NAME_MAX_CHARS)
    text: str = Field(max_length=TRANSCRIPT_ITEM_MAX_CHARS)
    at: datetime


# took_over: the call went on with them; impact: whether a whisper or barge (`mode`) helped, in words (`impact`)
SupervisionEvent = Literal["joined", "mode_changed", "left", "took_over", "impact"]
SupervisionMode = Literal["monitor", "whisper", "barge"]


class SupervisionCreate(BaseModel):
    """A supervisor joined a contact, changed mode or left, as the supervisor's desk saw it. Written
    by the supervisor's desk, not the agent's: a silent monitor the contact center does not announce is never
    told to the agent's desk, yet the record must say who listened and when."""

    contact_id: str = Field(min_length=1, max_length=100)
    supervisor_id: str = Field(min_length=1, max_length=100)
    supervisor_name: str = Field(max_length=200)
    event: SupervisionEvent
    mode: SupervisionMode | None = Field(default=None, description="The mode from `at` on; null when `event` is left")
    at: datetime
    agent_id: str | None = Field(default=None, max_length=100)
    queue_id: str | None = Field(default=None, max_length=100)
    channel: Channel | None = None
    impact: str | None = Field(
        default=None, max_length=300, description="Event impact: whether the whisper or barge helped, in words"
    )


class Supervision(SupervisionCreate):
    id: str = Field(examples=["sup-000001"])
    created_at: datetime


class EvaluationRecordCreate(BaseModel):
    """A quality evaluation of a contact, written once by the supervisor's desk when it is released:
    kept by `contact_id` beside the interaction, a supervisor's record as monitoring is (the agents' token: none)."""

    evaluation_id: str = Field(min_length=1, max_length=100, description="The contact center's id: one record each")
    contact_id: str = Field(min_length=1, max_length=100)
    agent_id: str = Field(min_length=1, max_length=100)
    queue_id: str | None = Field(default=None, max_length=100)
    channel: Channel | None = None
    form_id: str = Field(min_length=1, max_length=100)
    form_name: str = Field(max_length=200)
    evaluator_id: str = Field(min_length=1, max_length=100)
    evaluator_name: str = Field(max_length=200)
    score: StrictFloat = Field(ge=0, le=100, description="A JSON number with a fraction part or not: 75 or 75.0")
    auto_failed: StrictBool
    comments: str = Field(default="", max_length=2000)
    released_at: datetime


class EvaluationRecord(EvaluationRecordCreate):
    id: str = Field(examples=["eval-000001"])
    created_at: datetime


class Interaction(BaseModel):
    id: str = Field(examples=["int-000001"])
    customer_id: str | None = Field(
        default=None, description="null: unattributed (a withheld caller no one identified)"
    )
    contact_id: str | None = None
    channel: Channel
    direction: Direction = "inbound"
    agent_id: str | None = None
    queue_id: str | None = None
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    disposition: str | None = None
    ended_by: EndedBy | None = Field(default=None, description="Who ended the conversation (null: not said)")
    summary: str | None = None
    notes: str | None = None
    transfer_path: list[str] = Field(default=[], description="Queues or agents the contact passed through, in order")
    transcript: list[TranscriptLine] = Field(
        default=[],
        description="A chat's, SMS's or email's messages, oldest first (only from GET /v1/interactions/{id})",
    )
    transcript_count: int = Field(default=0, description="How many messages the transcript holds")
    private_notes: list[str] = Field(default=[], description="The agent's notes on the conversation, never sent")
    supervision: list[Supervision] = Field(
        default=[],
        description="Supervisors on the contact (monitor, whisper, barge, left), oldest first; only from GET "
        "/v1/interactions/{id} and ?contact_id= (a screen pop's history lists leave it out), and only for a "
        "supervisor's token (the agents' token reads none)",
    )
    evaluations: list[EvaluationRecord] = Field(
        default=[], description="Quality evaluations of the contact, as `supervision`: a supervisor's token only"
    )
    created_at: datetime


class InteractionCreate(BaseModel):
    """The outcome of a contact, written back at wrap-up."""

    customer_id: str | None = Field(
        default=None,
        max_length=100,
        description="The customer it is about; null writes it unattributed (a withheld caller the agent could not "
        "identify), listed by `GET /v1/interactions?unattributed=true`",
    )
    contact_id: str = Field(max_length=100)
    channel: Channel
    direction: Direction = "inbound"
    agent_id: str = Field(max_length=100)
    queue_id: str = Field(max_length=100)
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    disposition: str = Field(max_length=200)
    ended_by: EndedBy | None = Field(
        default=None,
        description="Who ended the conversation (the agent's part of it), as the contact center said: agent, customer, "
        "system (a timeout), transfer, consult or takeover (a supervisor took the call)",
    )
    summary: str | None = Field(default=None, max_length=500)
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)
    transfer_path: list[str] = Field(default=[], max_length=50)
    transcript: list[TranscriptLine] = Field(
        default=[], max_length=TRANSCRIPT_MAX_ITEMS, description="Oldest first, masked (GET /v1/limits)"
    )
    private_notes: list[Annotated[str, Field(max_length=PRIVATE_NOTE_MAX_CHARS)]] = Field(
        default=[], max_length=PRIVATE_NOTES_MAX
    )
    case_id: str | None = Field(
        default=None,
        max_length=100,
        description="A case to link the contact to in the same write (an unknown case is 404; a closed one is not "
        "linked, the interaction is stored)",
    )


class Case(BaseModel):
    id: str = Field(examples=["case-000001"])
    customer_id: str
    subject: str
    status: CaseStatus
    priority: Priority = "normal"
    owner: str | None = None
    opened_at: datetime
    contact_ids: list[str] = Field(default=[], description="Contacts linked to the case, oldest first")


class CaseCreate(BaseModel):
    customer_id: str = Field(max_length=100)
    subject: str = Field(min_length=1, max_length=500)
    priority: Priority = "normal"
    owner: str | None = Field(default=None, max_length=200)
    contact_id: str | None = Field(default=None, max_length=100, description="The contact the case comes from")


class CaseLink(BaseModel):
    contact_id: str = Field(min_length=1, max_length=100)


class Note(BaseModel):
    id: str = Field(examples=["note-000001"])
    customer_id: str
    contact_id: str | None = None
    author: str | None = None
    text: str
    created_at: datetime


class NoteCreate(BaseModel):
    text: str = Field(min_length=1, max_length=NOTES_MAX_CHARS)
    contact_id: str | None = Field(default=None, max_length=100)
    author: str | None = Field(default=None, max_length=200)


class CustomerRecord(BaseModel):
    """What a screen pop shows: the customer, account, history (newest first), cases (open first), orders."""

    customer: Customer
    matched_on: MatchedOn | None = None
    account: Account | None = None
    interactions: list[Interaction] = []
    cases: list[Case] = []
    orders: list[Order] = []


class LookupResult(BaseModel):
    matched_on: MatchedOn | None = None
    customers: list[Customer] = []
    # With `record=true` and exactly one match: their screen-pop record, saving the desktop a round trip.
    record: CustomerRecord | None = None


class TimelineItem(BaseModel):
    """One thing in a customer's journey: a contact on any channel, a callback, a follow-up, a case
    opened or updated, a note, a quality evaluation; newest first, the same `id` on every page it appears on."""

    id: str = Field(description="Stable across pages: the interaction's id, `case-000001:opened`, an evaluation's id…")
    at: datetime
    kind: str = Field(examples=["call", "chat", "email", "sms", "callback", "follow_up", "case_opened", "evaluation"])
    channel: Channel | None = None
    direction: Direction | None = None
    summary: str = Field(description="One line: disposition and notes, a case's subject and status, a score")
    interaction_id: str | None = Field(default=None, description="The interaction to open (its transcript)")
    transcript_count: int = Field(default=0, description="How many messages its transcript holds")
    agent_id: str | None = Field(default=None, description="The agent who handled the contact (or was evaluated)")
    consent: str | None = Field(default=None, description="The consent the CRM recorded with this item, if any")


class TimelinePage(BaseModel):
    consent: dict[str, bool | None] = Field(
        description="The customer's consent now, as the CRM keeps it: sms, marketing, recording, calls (not "
        "do-not-call); null: never asked"
    )
    items: list[TimelineItem] = Field(description="Newest first (by `at`, then `id`)")
    next_before: str | None = Field(default=None, description="Pass as `before` for the next (older) page; null: none")


class KnowledgePassage(BaseModel):
    text: str = Field(description="Plain text: never markup, whatever characters it holds")
    matches: list[tuple[int, int]] = Field(
        description="(start, end) offsets (Unicode code points) of the searched words in `text`, in order"
    )


class KnowledgeHit(BaseModel):
    id: str
    title: str
    snippet: KnowledgePassage = Field(description="The body's passage that best matches the search")
    url: str
    score: float = Field(description="BM25 relevance, higher is better; comparable only within one answer")
    queue: str = Field(description="The queue whose agents the article is written for")
    section: str
    audience: Literal["internal", "customer"] = Field(
        description="Who the article is written for: agents (an internal procedure) or customers (may go in a reply)"
    )


class KnowledgeSearch(BaseModel):
    words: list[str] = Field(description="The words searched for, as the query was read (lower case, each once)")
    hits: list[KnowledgeHit] = Field(description="Best first")


class KnowledgeArticle(BaseModel):
    id: str
    title: str
    body: str = Field(description="Plain text; paragraphs separated by a blank line")
    url: str
    queue: str
    section: str
    audience: Literal["internal", "customer"] = Field(
        description="Who the article is written for: agents (an internal procedure) or customers (may go in a reply)"
    )
