"""What the CRM said about each contact's caller (the screen pop): one lookup per contact, and the desk's part
that applies the CRM's answers to them (found, failed, a customer chosen, a case opened or written), telling the
desk which contact's lookup changed."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from agent_desktop.agent_desk.changes import Effect, LookUpCaller
from agent_desktop.domain.calls.caller_id import is_withheld
from agent_desktop.domain.customers.timeline import TimelinePage, merged
from agent_desktop.domain.models import Case, Contact, Customer, CustomerRecord, LookupResult


@dataclass
class CallerLookup:
    address: str
    record: CustomerRecord | None = None
    match_count: int = 0
    error: str | None = None
    done: bool = False
    candidates: list[Customer] = field(default_factory=list)  # several matches: the agent picks one
    matched_on: str | None = None
    started_at: float = field(default_factory=time.time)  # when the offer event was parsed
    answered_at: float | None = None  # when the CRM's answer was applied to the desk
    withheld: bool = False  # the caller hid their number: nothing to look up, the agent searches (f)
    colleague: str | None = None  # a colleague called from the directory (their name): no customer to look up
    waiting: str | None = None  # the CRM asked the desk to wait (a rate limit): what the card says meanwhile
    # Goes up with every change, unique among all lookups: what the card is drawn for (a view compares it, not
    # the fields, nor the object's id, which a new lookup may reuse).
    version: int = 0
    # The CRM's timeline of the record's customer, its pages so far merged; None until the first comes
    # (the card shows the timeline the record holds meanwhile). `timeline_error`: why it did not come.
    timeline: TimelinePage | None = None
    timeline_error: str | None = None
    timeline_asked: str | None = None  # the customer whose timeline was asked for (once each)
    # The customer's last lines of their latest conversation in the CRM, as stored (masked), and when it was written:
    # what a number this conversation goes on with is masked against (a chat, then an email).
    earlier_customer: tuple[datetime, list[str]] | None = None

    @property
    def needs_pick(self) -> bool:
        """Several customers match and none is chosen yet: the wrap-up waits for a pick."""
        return bool(self.candidates) and self.record is None

    @property
    def new_caller(self) -> bool:
        return self.done and self.record is None and self.error is None and not self.candidates and not self.colleague


_VERSIONS = itertools.count(1)


class CallerLookups(dict[str, CallerLookup]):
    """Each contact's caller lookup, by contact id; the CRM's answers applied here. `changed(contact_id)` is the
    desk's: it marks the redraw the change needs (the card, or the offer's caller line)."""

    def __init__(self, changed: Callable[[str], None]) -> None:
        super().__init__()
        self._desk_changed = changed

    def __setitem__(self, contact_id: str, lookup: CallerLookup) -> None:
        lookup.version = next(_VERSIONS)
        super().__setitem__(contact_id, lookup)

    def begin(self, contact: Contact) -> list[Effect]:
        """The CRM lookup of a contact's caller: by the account the IVR verified, else by their address."""
        address = contact.from_address
        attached = contact.attached
        account = attached.account_number if attached is not None and attached.verified else None
        # A withheld number is not looked up (the CRM would refuse it): the agent asks and searches,
        # unless the IVR verified who is calling.
        withheld = is_withheld(address) and account is None
        colleague = contact.colleague  # a colleague called from the directory is no customer to pop
        self[contact.id] = CallerLookup(
            address, withheld=withheld, done=withheld or bool(colleague), colleague=colleague
        )
        return [] if withheld or colleague else [LookUpCaller(contact.id, address, account)]

    def _changed(self, contact_id: str) -> None:
        if (lookup := self.get(contact_id)) is not None:
            lookup.version = next(_VERSIONS)
        self._desk_changed(contact_id)

    def found(self, contact_id: str, result: LookupResult, record: CustomerRecord | None) -> None:
        lookup = self.get(contact_id)
        if lookup is None:
            return  # the contact left the desk while the CRM answered
        lookup.match_count = len(result.customers)
        lookup.matched_on = result.matched_on
        lookup.waiting = None
        if record is not None:
            lookup.record = record.model_copy(update={"matched_on": result.matched_on})
        elif len(result.customers) > 1:
            lookup.candidates = list(result.customers)
        lookup.done, lookup.answered_at = True, time.time()
        self._changed(contact_id)

    def case_opened(self, contact_id: str, case: Case) -> bool:
        """A case the agent created (c): on the caller's card at once, while the outbox sends it."""
        lookup = self.get(contact_id)
        if lookup is None or lookup.record is None:
            return False
        lookup.record = lookup.record.model_copy(update={"cases": [case, *lookup.record.cases]})
        self._changed(contact_id)
        return True

    def case_written(self, contact_id: str, pending: Case, written: Case) -> None:
        """The CRM answered for a case shown while it was being sent: `written` replaces it."""
        lookup = self.get(contact_id)
        if lookup is None or lookup.record is None:
            return
        cases = [written if case is pending else case for case in lookup.record.cases]
        lookup.record = lookup.record.model_copy(update={"cases": cases})
        self._changed(contact_id)

    def failed(self, contact_id: str, error: str) -> None:
        lookup = self.get(contact_id)
        if lookup is not None:
            lookup.error, lookup.done, lookup.waiting = error, True, None
            self._changed(contact_id)

    def waiting(self, contact_id: str, note: str) -> None:
        """The CRM is rate limiting the desk: the pop is asked again after the wait `note` names."""
        lookup = self.get(contact_id)
        if lookup is not None:
            lookup.waiting = note
            self._changed(contact_id)

    def existing(self, contact_id: str, customers: list[Customer], matched_on: str) -> None:
        """The new-caller form named an existing customer's email: they are offered to pick, not overwritten."""
        lookup = self.get(contact_id)
        if lookup is not None and lookup.record is None:
            lookup.candidates, lookup.matched_on, lookup.match_count = list(customers), matched_on, len(customers)
            lookup.done, lookup.error = True, None
            self._changed(contact_id)

    def chosen(self, contact_id: str, record: CustomerRecord) -> None:
        """The agent picked (or created) the caller's customer: their record replaces the choice."""
        lookup = self.get(contact_id)
        if lookup is None:
            return
        matched_on = lookup.matched_on if any(c.id == record.customer.id for c in lookup.candidates) else None
        lookup.record = record.model_copy(update={"matched_on": matched_on})
        lookup.match_count, lookup.candidates, lookup.done, lookup.error = 1, [], True, None
        if lookup.timeline_asked != record.customer.id:  # another customer's timeline is not theirs
            lookup.timeline, lookup.timeline_error, lookup.timeline_asked = None, None, None
        self._changed(contact_id)

    def timeline_page(self, contact_id: str, customer_id: str, page: TimelinePage, older: bool) -> bool:
        """A page of the CRM's timeline for the customer on the card: the newest (replacing what was there) or an
        `older` one (added to it, each item once). False, and nothing changed, if the card has another customer."""
        lookup = self.get(contact_id)
        if lookup is None or lookup.record is None or lookup.record.customer.id != customer_id:
            return False
        kept = lookup.timeline
        if older and kept is not None:
            page = page.model_copy(update={"items": merged(kept.items, page.items), "consent": kept.consent})
        lookup.timeline, lookup.timeline_error = page, None
        self._changed(contact_id)
        return True

    def timeline_failed(self, contact_id: str, customer_id: str, error: str) -> None:
        lookup = self.get(contact_id)
        if lookup is not None and lookup.record is not None and lookup.record.customer.id == customer_id:
            lookup.timeline_error = error
            self._changed(contact_id)
