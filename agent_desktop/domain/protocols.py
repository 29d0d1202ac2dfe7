"""The three backend interfaces the desktop is written against.

An integrator plugs in a real CRM, contact center or presence service by
writing a class that satisfies one of these protocols; the UI sees nothing
else. The HTTP implementations for the bundled mock servers live beside this.
A backend says what it can do in `capabilities` (agent_desktop/domain/capabilities.py): the desk never offers
a key whose call the backend cannot serve, so such a call is never made. It is registered under an entry
point group (agent_desktop/app/backend_factory.py, docs/backends.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from agent_desktop.domain.calls.scheduled_callback import ScheduledCallback
from agent_desktop.domain.capabilities import ContactCenterCapabilities, CrmCapabilities, StateOption
from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop.domain.customers.timeline import TimelinePage
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Case,
    CaseCreate,
    Colleague,
    Contact,
    ContactCenterEvent,
    Conversation,
    Customer,
    CustomerRecord,
    Expert,
    ExpertMessage,
    ExpertMessageEvent,
    Interaction,
    InteractionCreate,
    LookupResult,
    NewCustomer,
    Note,
    Offer,
    PresenceEvent,
    Queue,
    Supervision,
    SupervisionRecord,
    Target,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.vocabulary import Channel

if TYPE_CHECKING:  # My day's models: loaded on demand (agent_desktop/domain/__init__.py)
    from agent_desktop.domain.workforce.agent_day import AgentDay
    from agent_desktop.domain.workforce.models import AgentSchedule


@runtime_checkable
class ContactCenter(Protocol):
    """The CCaaS: routing, the agent's state, offers and contacts (system of engagement)."""

    agent_id: str
    capabilities: ContactCenterCapabilities
    """What it can do, per backend and per channel; known before any request."""

    async def get_agent(self) -> Agent: ...

    async def state_catalog(self) -> list[StateOption]:
        """The states an agent may choose (a Twilio worker's Activities, the mock's not-ready reasons); read
        each time the link comes up. The desk's state picker offers these and nothing else."""
        ...

    async def set_state(self, state: AgentState, reason: str | None = None) -> Agent:
        """`reason`: a NOT_READY option's `reason` from `state_catalog()`."""
        ...

    async def list_contacts(self) -> list[Contact]:
        """The contacts currently in the agent's hands (connected, on hold or in wrap-up)."""
        ...

    async def list_offers(self) -> list[Offer]:
        """The agent's pending offers (quitting rejects them so they go back to the queue)."""
        ...

    async def list_queues(self) -> list[Queue]: ...

    async def my_day(self) -> AgentDay:
        """This agent's own day (states since midnight, offers, contacts today); only with `capabilities.my_day`.
        Another agent's day is never readable here."""
        ...

    async def my_schedule(self) -> AgentSchedule:
        """This agent's own shift today (work, breaks, lunch, in order); only with `capabilities.workforce`."""
        ...

    async def schedule_callback(
        self,
        contact_id: str,
        due_at: datetime,
        time_zone: str,
        note: str = "",
        number: str | None = None,
        idempotency_key: str | None = None,
    ) -> ScheduledCallback:
        """A callback this agent owns, from a contact they had, due at an aware time agreed in `time_zone` (IANA);
        only with `capabilities.owned_callbacks`. Refused: a naive or past time, an unknown zone or contact.
        `idempotency_key`: the same for a retry of this write (an answer lost), so it is stored once."""
        ...

    async def my_callbacks(self) -> list[ScheduledCallback]:
        """This agent's own scheduled callbacks with their state, soonest first (`capabilities.owned_callbacks`)."""
        ...

    async def list_colleagues(self) -> list[Colleague]:
        """The transfer directory: every agent (this one too) with their state and the queues they serve."""
        ...

    async def accept_offer(self, offer_id: str) -> Contact:
        """Only with `capabilities.offer_decision` (else the platform connects the offer itself)."""
        ...

    async def reject_offer(self, offer_id: str) -> None:
        """Only with `capabilities.offer_decision`."""
        ...

    async def end_contact(self, contact_id: str) -> Contact:
        """Hang up / close the conversation; the contact moves to after-contact work."""
        ...

    async def complete_contact(self, contact_id: str, disposition: str) -> Contact:
        """Raises BackendError with state "completed" if it is already completed (e.g. by the ACW timeout)."""
        ...

    async def extend_wrap_up(self, contact_id: str) -> Contact:
        """More time for a time-boxed wrap-up (the queue's `WrapUpRule` says how much and how often); only with
        `capabilities.wrap_up_rules`. Refused (BackendError 409) when no more may be granted."""
        ...

    async def set_next_state(self, state: AgentState | None, reason: str | None = None) -> Agent:
        """The state to take when the last contact in hand is completed; None clears the request. Only with
        `capabilities.native_next_state`: without it the desk keeps the request and calls `set_state` itself."""
        ...

    async def hold_contact(self, contact_id: str) -> Contact: ...

    async def resume_contact(self, contact_id: str) -> Contact: ...

    async def transfer_contact(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """Blind transfer: the contact leaves the agent (to an address: it goes to after-contact work).
        A chat's next agent sees `note` in the transcript."""
        ...

    async def start_consult(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """The customer goes on hold while a second leg rings the target (`Contact.consult`)."""
        ...

    async def complete_consult(self, contact_id: str) -> Contact:
        """Hand the contact over to the consulted target."""
        ...

    async def cancel_consult(self, contact_id: str) -> Contact:
        """End the consult leg; the agent is connected with the customer again."""
        ...

    # --- conversations of chat, SMS and email contacts ---------------------------

    async def get_conversation(self, contact_id: str) -> Conversation:
        """State, unread count, the customer's idle time and inactivity deadline, the channel's limits."""
        ...

    async def list_messages(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        """The newest `limit` transcript items before item `before` (oldest first); `has_more` says if older exist."""
        ...

    async def send_message(
        self, contact_id: str, text: str, *, subject: str | None = None, idempotency_key: str | None = None
    ) -> TranscriptItem:
        """Send to the customer (only while connected); a retry with the same key is sent once.
        Over the channel's limit: BackendError 422 naming it."""
        ...

    async def set_typing(self, contact_id: str, typing: bool) -> None:
        """The agent started or stopped typing (call it debounced); only on a channel with `typing`."""
        ...

    async def mark_read(self, contact_id: str, up_to_item_id: str) -> Conversation:
        """Move the agent's read marker (backwards too: mark unread); only on a channel with `read_marks`."""
        ...

    def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        """Pushed events for this agent, forever: reconnects and resumes by itself,
        yielding a LinkStatus whenever the link is lost or restored."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class Crm(Protocol):
    """The CRM: the system of record read by the screen pop and written at wrap-up.

    Every write takes an idempotency key: a retry with the same key (after a timeout, a
    crash, an outage) is stored once, so the desktop's outbox can send until it is sure.
    """

    limits: CrmLimits
    """How much one `log_interaction` may hold; the wrap-up is fitted to it before it is stored."""
    capabilities: CrmCapabilities
    """What it holds (orders, billing, cases...): the card shows only the tabs it can fill."""

    async def lookup(self, address: str) -> LookupResult:
        """Find customers by phone number (any written form) or email address; with exactly one match,
        `record` may already hold their screen-pop record (else the desktop asks `customer_record`)."""
        ...

    async def interaction(self, interaction_id: str) -> Interaction:
        """One past interaction whole, with its transcript (the History tab opens a chat's)."""
        ...

    async def lookup_account(self, account_number: str) -> LookupResult: ...

    async def search_customers(self, query: str) -> list[Customer]:
        """Customers by name, phone, email or account number, typed by an agent identifying a caller
        by hand (a withheld number); at most a screenful."""
        ...

    async def customer_record(self, customer_id: str) -> CustomerRecord: ...

    async def create_customer(self, customer: NewCustomer, idempotency_key: str | None = None) -> Customer:
        """A record for a caller the CRM did not know."""
        ...

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        """Write a contact's outcome; a retry with the same key is stored once."""
        ...

    async def add_note(self, customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note: ...

    async def record_supervision(self, record: SupervisionRecord, idempotency_key: str) -> Supervision:
        """Who monitored, whispered or barged on a contact and when, kept with the contact's interactions
        (capability `supervision`; the supervisor's desk writes it through the outbox)."""
        ...

    async def create_case(self, case: CaseCreate, idempotency_key: str) -> Case:
        """Open a case, linked to the contact it comes from."""
        ...

    async def link_case(self, case_id: str, contact_id: str, idempotency_key: str) -> Case:
        """Add a contact to an open case."""
        ...

    async def list_interactions(self, customer_id: str) -> list[Interaction]: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class CustomerTimelines(Protocol):
    """A CRM that serves a customer's journey across channels (the mock's, Zendesk's). A `Crm` without
    this method (a plug-in that keeps names only) still has one on the card: the record's interactions and cases."""

    async def customer_timeline(self, customer_id: str, before: str | None = None, limit: int = 50) -> TimelinePage:
        """The customer's journey, newest first, with their consent: the page older than the cursor `before` (a
        page's `next_before`; None: the newest)."""
        ...


@runtime_checkable
class ConsentRecords(Protocol):
    """A CRM the desk can write a customer's opt-out to (Zendesk: the account's consent checkbox set to false)."""

    async def record_opt_out(self, customer_id: str, consent: str) -> Customer:
        """Set `consent` (`consent_sms`, `consent_marketing`, `consent_recording`) to false on the customer's record;
        the customer as the CRM now keeps them. A BackendError where the CRM keeps that consent nowhere."""
        ...


def customer_timelines(crm: object) -> CustomerTimelines | None:
    """The CRM as one that serves timelines, if its capabilities say so and it has the method (else None)."""
    capabilities = getattr(crm, "capabilities", None)
    if not getattr(capabilities, "timeline", False) or not isinstance(crm, CustomerTimelines):
        return None
    return crm


@runtime_checkable
class ConsentWithdrawals(Protocol):
    """A CRM that takes a customer's consent withdrawn for a channel (the mock's): what the desk writes when a CPaaS
    says the customer opted out (replied STOP to an SMS). A `Crm` without it is not asked (Zendesk keeps no consent)."""

    async def withdraw_consent(self, customer_id: str, channel: Channel, reason: str, idempotency_key: str) -> Customer:
        """The customer's consent for `channel` set to no (SMS: `consent_sms`; email: `consent_marketing`), once
        per key; answers the customer after it."""
        ...


def consent_withdrawals(crm: object) -> ConsentWithdrawals | None:
    """The CRM as one that takes consent withdrawn, if it has the method (else None)."""
    return crm if isinstance(crm, ConsentWithdrawals) else None


@runtime_checkable
class PresenceDirectory(Protocol):
    """The UCaaS presence service: who the internal experts are, who is free, and messaging them."""

    async def list_experts(self, query: str = "", skill: str | None = None) -> list[Expert]:
        """Experts whose name, title, department or a skill contains `query` (any case) and,
        if given, who have `skill`; free people first."""
        ...

    async def send_message(self, person_id: str, text: str, sender: str | None = None) -> ExpertMessage:
        """An instant message to an expert; their replies arrive on `events()`."""
        ...

    def events(self) -> AsyncIterator[PresenceEvent | ExpertMessageEvent | LinkStatus]:
        """Pushed presence changes and messages, forever (reconnecting, like the contact center's)."""
        ...

    async def aclose(self) -> None: ...
