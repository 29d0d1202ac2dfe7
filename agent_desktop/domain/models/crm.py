"""The CRM's records: the customer with their account, orders, cases, notes and past interactions (what the screen
pop shows), the supervision records it keeps, and what the desk writes back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from agent_desktop.domain.models.base import CustomerText, Model
from agent_desktop.domain.models.contact_center import ContactEndedBy
from agent_desktop.domain.models.quality import EvaluationRecordWritten
from agent_desktop.domain.vocabulary import Channel, MonitorMode


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
    """A message of a chat, SMS or email, or a line said on a call, as the CRM keeps it with the interaction (masked
    before it left)."""

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
    # took_over: the call is the supervisor's now; impact: whether a whisper or barge (`mode`) helped, in `impact`
    event: Literal["joined", "mode_changed", "left", "took_over", "impact"]
    mode: MonitorMode | None = None  # from `at` on; None once left or taken over
    at: datetime
    agent_id: str | None = None
    queue_id: str | None = None
    channel: Channel | None = None
    impact: str | None = None  # (event impact) "helped (mood -0.62 → +0.10, 3 customer lines each side)"


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
    ended_by: ContactEndedBy | None = None  # who ended the conversation: the agent, the customer, the system
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
    ended_by: ContactEndedBy | None = None  # as the contact center recorded it on the contact (None: it did not say)
    summary: str | None = None
    notes: str = ""
    transfer_path: list[str] = []
    transcript: list[TranscriptLine] = []  # a chat's, SMS's or email's messages, masked
    private_notes: list[str] = []  # the agent's notes on the conversation, never sent to the customer
    # A case the agent linked the contact to, linked by this same write (CrmCapabilities.link_with_wrap_up).
    case_id: str | None = None
