"""The caller's customer record: looked up as the offer comes, picked among several, created for a new caller; cases opened and linked through the outbox; a past conversation read."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from functools import partial
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.domain.calls.caller_id import is_withheld
from agent_desktop.domain.errors import BackendError, CustomerExists
from agent_desktop.domain.models import (
    Case,
    CaseCreate,
    Customer,
    CustomerRecord,
    Interaction,
    LookupResult,
    NewCustomer,
)
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.protocols import consent_withdrawals, customer_timelines
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.outbox.payloads import CaseLinkWrite, ConsentWithdrawal, OutboxPayload
from agent_desktop.outbox.store import EntryKind, EntryState, OutboxEntry

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callers.lookups import CallerLookups
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.domain.capabilities import CrmCapabilities

log = logging.getLogger(__name__)
CASE_SENDING = "sending…"  # the id a new case shows until the CRM gives it one
TIMELINE_PAGE = 50  # a timeline's page: a screen or two of the card's History tab
EARLIER_LINES_KEPT = 5  # the customer's last lines of their previous conversation: a split number's first part
POP_TRIES = 3  # a screen pop rate limited waits out Retry-After this many times before it says it failed


def masked_new_customer(customer: NewCustomer) -> NewCustomer:
    """The form as it may leave the desk: a card number typed into the name or an email is masked (the phone
    is left: a phone number of 13 to 15 digits may pass the Luhn check; the CRM refuses one that is no phone)."""
    emails = [mask_pci(email) for email in customer.emails]
    return customer.model_copy(update={"name": mask_pci(customer.name), "emails": emails})


def new_caller_key(contact_id: str, customer: NewCustomer) -> str:
    """One key per contact and name: pressing enter twice, or a retry after a timeout, makes one customer.
    A digest, never the name itself: a header is ASCII (httpx raised on "José García" and the desk ended),
    and the key is stored by the CRM (Zendesk keeps it as the user's external id)."""
    digest = hashlib.sha256(f"{contact_id}\n{customer.name}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"new-caller-{digest[:40]}"


class CallerDesk(DeskNotices, Protocol):
    """The desk as the caller's use cases read it (desk/model.py's Desk): the CRM's capabilities, the contacts in
    hand and their callers' lookups."""

    @property
    def crm_capabilities(self) -> CrmCapabilities: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def lookups(self) -> CallerLookups: ...


class CallerUseCases(DeskUseCase[CallerDesk]):
    def __init__(self, controller: UseCaseHost[CallerDesk]) -> None:
        super().__init__(controller)
        self._cases_sending: dict[str, tuple[str, Case]] = {}  # outbox key → (contact id, the case shown)
        self.sleep = asyncio.sleep  # how a rate-limited pop waits (a test passes one that does not)

    async def look_up(self, contact_id: str, address: str, account: str | None = None) -> None:
        """The caller's record: by the account the IVR verified first (one customer, whatever number they
        call from), then by the address they came from. Rate limited (Zendesk's Retry-After is often tens of
        seconds), the pop says it waits, waits, and asks again."""
        for attempt in range(POP_TRIES):
            try:
                result, record = await self._ask_crm(address, account)
            except BackendError as error:
                if error.retry_after_s is not None and attempt + 1 < POP_TRIES and contact_id in self.desk.lookups:
                    wait = error.retry_after_s
                    self.desk.lookups.waiting(
                        contact_id, f"{error.backend} rate limit: looking up again in {wait:.0f} s"
                    )
                    await self.sleep(wait)
                    if contact_id not in self.desk.lookups:
                        return  # the contact left the desk meanwhile: nothing to pop
                    continue
                self.desk.lookups.failed(contact_id, error.message)
            else:
                self.desk.lookups.found(contact_id, result, record)
                self._spawn(self.read_earlier_lines(contact_id, record))  # not what the offer's frame waits for
            return

    async def _ask_crm(self, address: str, account: str | None) -> tuple[LookupResult, CustomerRecord | None]:
        result = await self.crm.lookup_account(account) if account else None
        if result is None or not result.customers:
            if is_withheld(address):
                result = result or LookupResult(customers=[])
            else:
                result = await self.crm.lookup(address)
        record = None
        if len(result.customers) == 1:
            record = result.record or await self.crm.customer_record(result.customers[0].id)
        return result, record

    async def choose_customer(self, contact_id: str, customer_id: str) -> bool:
        try:
            record = await self.crm.customer_record(customer_id)
        except BackendError as error:
            self.desk.notice(error.message, "CRM", "error")
            return False
        self.desk.lookups.chosen(contact_id, record)
        self._spawn(self.read_earlier_lines(contact_id, record))
        return True

    async def opted_out(self, contact_id: str) -> None:
        """The customer texted STOP (domain/messages/opt_out.py): their SMS consent withdrawn in the CRM through the outbox,
        once per contact (its dedupe key), said to the agent. A customer not identified yet, or a CRM that keeps no
        consent: said, nothing written (Twilio refuses the next SMS to them with 21610, which withdraws it then)."""
        lookup = self.desk.lookups.get(contact_id)
        customer = lookup.record.customer if lookup is not None and lookup.record is not None else None
        if customer is None or consent_withdrawals(self.crm) is None:
            why = "the customer is not identified yet" if customer is None else "this CRM keeps no consent"
            self.desk.notice(f"The customer texted STOP: no more SMS to them. Not written to the CRM: {why}.", "SMS")
            return
        payload = ConsentWithdrawal(
            customer_id=customer.id, contact_id=contact_id, channel=Channel.SMS, reason="texted STOP in an SMS"
        )
        add = partial(
            self.outbox.add,
            EntryKind.CONSENT_WITHDRAWAL,
            payload,
            contact_id=contact_id,
            dedupe=f"opt-out:{contact_id}:sms",
            label=f"{customer.name} · SMS consent withdrawn (STOP)",
        )
        try:
            await self.outbox.aio.run(add)
        except LOCAL_WRITE_ERRORS as error:
            self.desk.notice(
                f"The customer texted STOP: not recorded for the CRM ({why_not_written(error)}).", "SMS", "error"
            )
            return
        self.desk.notice("The customer texted STOP: their SMS consent is withdrawn in the CRM.", "SMS", "warning")

    async def read_earlier_lines(self, contact_id: str, record: CustomerRecord | None) -> None:
        """The customer's last lines of their latest conversation in the CRM (`crm.interaction`, its transcript as
        the CRM keeps it, masked), kept on the lookup: the wrap-up masks a card number this conversation goes on
        with across the two (half in a chat, half in a later email, whoever wrote the chat back). A CRM
        that serves no past transcripts, or none to read: nothing kept (the outbox's own earlier write, if any,
        is what counts then)."""
        if record is None or not self.desk.crm_capabilities.history_transcripts:
            return
        earlier = [i for i in record.interactions if i.contact_id != contact_id and i.transcript_count]
        latest = max(earlier, key=lambda interaction: interaction.created_at, default=None)
        if latest is None:
            return
        try:
            whole = await self.crm.interaction(latest.id)
        except BackendError as error:
            log.warning("the customer's latest conversation could not be read: %s", error.message)
            return
        lines = [line.text for line in whole.transcript if line.role == "customer"][-EARLIER_LINES_KEPT:]
        lookup = self.desk.lookups.get(contact_id)
        if lookup is not None and lookup.record is not None and lookup.record.customer.id == record.customer.id:
            lookup.earlier_customer = (whole.created_at, lines)  # (still that customer's contact: not re-picked)

    async def load_timeline(self, contact_id: str, customer_id: str, before: str | None = None) -> None:
        """A page of the customer's timeline from the CRM (the newest, or the one older than `before`), where the
        CRM serves one; a refusal leaves the record's own timeline on the card, and says why there."""
        timelines = customer_timelines(self.crm)
        if timelines is None:
            return
        try:
            page = await timelines.customer_timeline(customer_id, before=before, limit=TIMELINE_PAGE)
        except BackendError as error:
            self.desk.lookups.timeline_failed(contact_id, customer_id, error.message)
        else:
            self.desk.lookups.timeline_page(contact_id, customer_id, page, older=before is not None)

    async def timeline_wanted(self, contact_id: str, older: bool = False) -> None:
        """The card has painted the caller's record (asked then, so that a pop is never slower for it): the newest
        page of their timeline, once per customer shown; `older`: the agent asked for the next, older page."""
        lookup = self.desk.lookups.get(contact_id)
        if lookup is None or lookup.record is None:
            return
        customer_id = lookup.record.customer.id
        if older:
            if lookup.timeline is not None and lookup.timeline.next_before is not None:
                await self.load_timeline(contact_id, customer_id, lookup.timeline.next_before)
        elif lookup.timeline_asked != customer_id:
            lookup.timeline_asked = customer_id
            await self.load_timeline(contact_id, customer_id)

    async def create_customer(self, contact_id: str, customer: NewCustomer) -> str | None:
        """Create the caller in the CRM and show their record; the error to show, or None."""
        customer = masked_new_customer(customer)
        try:
            created: Customer = await self.crm.create_customer(customer, new_caller_key(contact_id, customer))
        except CustomerExists as taken:
            # never written over: the agent picks the existing customer (p) or corrects the form
            if taken.existing:
                self.desk.lookups.existing(contact_id, taken.existing, "email")
            return f"Not created: {taken.message}"
        except BackendError as error:
            return f"Not created: {error.message}"
        await self.choose_customer(contact_id, created.id)
        return None

    async def enqueue(
        self, kind: EntryKind, payload: OutboxPayload, contact_id: str, label: str, *, held: bool = False
    ) -> OutboxEntry | None:
        """Into the outbox (`held`: until the wrap-up takes it); a disk that refuses it is said, and None (the
        agent does it again: nothing of it was kept)."""
        add = partial(self.outbox.add, kind, payload, contact_id=contact_id, label=label, held=held)
        try:
            entry = await self.outbox.aio.run(add)
        except LOCAL_WRITE_ERRORS as error:
            self.desk.notice(f"Not queued for the CRM ({label}): {why_not_written(error)}. Try again.", "Case", "error")
            return None
        if not held:
            self.desk.notice(f"Queued for the CRM: {label}", "Case")
        return entry

    async def link_case(self, contact_id: str, case_id: str) -> OutboxEntry | None:
        """Put this contact on a case the caller has open, through the outbox. A CRM that counts its updates
        (CrmCapabilities.link_with_wrap_up: Zendesk) gets it with the contact's wrap-up, one write: held till then."""
        payload = CaseLinkWrite(case_id=case_id, contact_id=contact_id)
        label = f"link to {case_id}"
        if not (self.desk.crm_capabilities.link_with_wrap_up and contact_id in self.desk.held):
            return await self.enqueue(EntryKind.CASE_LINK, payload, contact_id, label)
        entry = await self.enqueue(EntryKind.CASE_LINK, payload, contact_id, label, held=True)
        if entry is not None:
            self.desk.notice(f"Linked to {case_id}: written to the CRM with the wrap-up, in one update", "Case")
        return entry

    async def search_customers(self, query: str) -> list[Customer]:
        """The CRM's customers matching `query` (the search dialogs'; a refusal is theirs to show)."""
        return await self.crm.search_customers(query)

    async def interaction(self, interaction_id: str) -> Interaction | None:
        """A past conversation from the caller's history, or None (the refusal is a notice)."""
        try:
            return await self.crm.interaction(interaction_id)
        except BackendError as error:
            self.desk.notice(error.message, "History", "error")
            return None

    async def create_case(self, contact_id: str, customer_id: str, subject: str) -> None:
        """Open a case through the outbox, and show it on the caller's card at once ("sending…" until the
        CRM answers with its id: `cases_written`)."""
        payload = CaseCreate(customer_id=customer_id, subject=subject, contact_id=contact_id)
        entry = await self.enqueue(EntryKind.CASE_CREATE, payload, contact_id, f"new case: {subject}")
        if entry is None:
            return  # the disk refused it: said
        stored = entry.payload.subject if isinstance(entry.payload, CaseCreate) else subject  # (masked)
        shown = Case(
            id=CASE_SENDING,
            customer_id=customer_id,
            subject=stored,
            status="open",
            opened_at=self.now(),
            contact_ids=[contact_id],
        )
        if self.desk.lookups.case_opened(contact_id, shown):
            self._cases_sending[entry.key] = (contact_id, shown)
            await self.cases_written()  # the sender may have written it already

    async def cases_written(self) -> None:
        """Cases shown while they were sent: the CRM's id replaces "sending…" (or the refusal is said)."""
        for key, (contact_id, shown) in list(self._cases_sending.items()):
            entry = await self.outbox.aio.get(key)
            if entry is None or entry.state is EntryState.PENDING or key not in self._cases_sending:
                continue
            del self._cases_sending[key]
            if entry.state is EntryState.SENT:
                written = shown.model_copy(update={"id": entry.result_id or shown.id})
            else:
                written = shown.model_copy(update={"status": "not saved"})
            self.desk.lookups.case_written(contact_id, shown, written)
