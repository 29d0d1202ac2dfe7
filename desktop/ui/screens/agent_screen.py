"""The agent's work view: state, the offer, contacts in hand, screen pop, experts and wrap-up.

The screen owns the flow. Backend events arrive as messages from workers; the
screen keeps the agent's state and sets it on the widgets (attributes down),
and widgets report what the agent did with messages (messages up).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select

from desktop.backends.errors import BackendError
from desktop.backends.factory import Backends
from desktop.backends.models import (
    AgentState,
    AgentStateEvent,
    Contact,
    ContactEvent,
    ContactState,
    Customer,
    CustomerRecord,
    NewCustomer,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    Queue,
)
from desktop.backends.stream import LinkStatus
from desktop.outbox.sender import OutboxSender
from desktop.outbox.store import EntryKind
from desktop.outbox.wrap_up import enqueue_wrap_up
from desktop.ui.messages import ContactCenterEventArrived, LinkChanged, OutboxChanged, PresenceChanged
from desktop.ui.screens.case_dialog import CaseChoice, CaseDialog
from desktop.ui.screens.customer_picker import CustomerPicker
from desktop.ui.screens.outbox_view import OutboxView
from desktop.ui.screens.reason_picker import ReasonPicker
from desktop.ui.widgets.agent_status import AgentStatus
from desktop.ui.widgets.contact_list import ContactList
from desktop.ui.widgets.customer_card import CustomerCard
from desktop.ui.widgets.experts_panel import ExpertsPanel
from desktop.ui.widgets.footer import KeyFooter
from desktop.ui.widgets.new_caller_form import NewCallerForm
from desktop.ui.widgets.offer_card import OfferCard
from desktop.ui.widgets.outbox_status import OutboxStatus
from desktop.ui.widgets.wrap_up_form import WrapUpForm

IN_HAND = (ContactState.CONNECTED, ContactState.ON_HOLD, ContactState.AFTER_CONTACT_WORK)


@dataclass
class ScreenPop:
    """What the CRM said about one contact's caller."""

    address: str
    record: CustomerRecord | None = None
    match_count: int = 0
    error: str | None = None
    done: bool = False
    candidates: list[Customer] = field(default_factory=list)  # several matches: the agent picks one
    matched_on: str | None = None
    started_at: float = field(default_factory=time.time)  # when the offer reached the desktop


class AgentScreen(Screen):
    CSS_PATH = "agent_screen.tcss"
    BINDINGS = [
        Binding("v", "go_available", "Available", tooltip="Go Available to receive contacts"),
        Binding("n", "not_ready", "Not ready", tooltip="Go Not ready, with a reason"),
        Binding("a", "accept", "Accept", tooltip="Accept the offered contact"),
        Binding("r", "reject", "Reject", tooltip="Reject the offered contact: it goes back to the queue"),
        Binding("e", "end_contact", "End", tooltip="End the current contact and start after-contact work"),
        Binding("w", "wrap_up", "Wrap-up", tooltip="Go to the disposition and notes"),
        Binding(
            "ctrl+s", "submit_wrap_up", "Save wrap-up", priority=True, tooltip="Write the wrap-up to the CRM and complete"
        ),
        Binding("slash", "find_expert", "Find expert", tooltip="Search the experts by name, skill or department"),
        Binding("escape", "focus_contacts", "Contacts", show=False),
        # The screen pop's tabs and the CRM write-back (issue 4).
        Binding(
            "1", "customer_tab(1)", "Tabs", key_display="1-5", tooltip="Card tabs: cases, history, orders, account, profile"
        ),
        *(Binding(str(n), f"customer_tab({n})", "Card tab", show=False) for n in range(2, 6)),
        Binding("p", "pick_customer", "Pick", tooltip="Pick among several matching customers, or fill in a new caller"),
        Binding("c", "case", "Case", tooltip="Open a case from this contact, or link it to an open case"),
        Binding("o", "show_outbox", "Outbox", tooltip="CRM writes pending, sent and failed"),
    ]

    def __init__(self, backends: Backends, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.backends = backends
        self.clock = clock
        self.agent_state: AgentState | None = None
        self.not_ready_reasons: list[str] = []
        self.offer: Offer | None = None
        self.contacts: dict[str, Contact] = {}
        self.current_id: str | None = None
        self.queues: dict[str, Queue] = {}
        self.pops: dict[str, ScreenPop] = {}
        self.outbox = backends.outbox
        self.outbox_sender = OutboxSender(self.outbox, backends.crm, on_change=self._outbox_changed)
        self._last_enabled: dict[str, bool] = {}
        self._shown_pop: tuple[object, ...] | None = None

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield AgentStatus(id="agent-status")
        with Vertical(id="work"):
            yield OfferCard(id="offer")
            yield ContactList(id="contacts")
        yield CustomerCard(id="customer")
        yield WrapUpForm(id="wrap-up")
        yield ExpertsPanel(id="experts")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#offer").border_title = "Offer"
        self.query_one("#contacts").border_title = "My contacts"
        self.title = "Agent desktop"
        self.tick()
        self.set_interval(0.5, self.tick)
        self.listen_contact_center()
        self.listen_presence()
        self.send_outbox()
        self.query_one(ContactList).focus()

    def tick(self) -> None:
        now = self.clock()
        self.query_one(AgentStatus).now = now
        self.query_one(OfferCard).now = now
        if self.contacts:
            self.query_one(ContactList).refresh_times(list(self.contacts.values()), now)

    # --- workers: I/O with the backends ----------------------------------------

    @work(group="ccaas-stream", exclusive=True)
    async def listen_contact_center(self) -> None:
        async for item in self.backends.contact_center.events():
            if isinstance(item, LinkStatus):
                self.post_message(LinkChanged(item, "contact_center"))
            else:
                self.post_message(ContactCenterEventArrived(item))

    @work(group="presence-stream", exclusive=True)
    async def listen_presence(self) -> None:
        async for item in self.backends.presence.events():
            self.post_message(LinkChanged(item, "presence") if isinstance(item, LinkStatus) else PresenceChanged(item))

    @work(group="queues", exclusive=True)
    async def load_queues(self) -> None:
        """Queues (and their dispositions), fetched each time the contact-center link comes up."""
        try:
            self.queues = {q.id: q for q in await self.backends.contact_center.list_queues()}
        except BackendError as error:
            self.notify(error.message, title="Queues", severity="error")
            return
        self._show_wrap_up()

    @work(group="experts-search", exclusive=True)
    async def search_experts(self, query: str) -> None:
        await asyncio.sleep(0.15 if query else 0)  # let typing settle
        try:
            experts = await self.backends.presence.list_experts(query)
        except BackendError as error:
            self.notify(error.message, title="Experts", severity="error")
            return
        self.query_one(ExpertsPanel).show(experts)

    @work(group="screen-pop")
    async def pop_customer(self, contact: Contact) -> None:
        crm = self.backends.crm
        pop = ScreenPop(contact.from_address)
        self.pops[contact.id] = pop
        self._show_pop()
        try:
            result = await crm.lookup(contact.from_address)
            pop.match_count = len(result.customers)
            pop.matched_on = result.matched_on
            if len(result.customers) == 1:
                record = result.record or await crm.customer_record(result.customers[0].id)
                pop.record = record.model_copy(update={"matched_on": result.matched_on})
            else:
                pop.candidates = result.customers
        except BackendError as error:
            pop.error = error.message
        pop.done = True
        self._show_pop()
        # The card's keys (tabs, pick, case) change the footer: after the card is drawn, not before.
        self.call_after_refresh(self._update_bindings)

    @work(group="screen-pop-choice")
    async def load_chosen_customer(self, contact_id: str, customer_id: str) -> None:
        """The agent picked (or created) the customer: their record replaces the choice."""
        pop = self.pops.get(contact_id)
        if pop is None:
            return
        try:
            record = await self.backends.crm.customer_record(customer_id)
        except BackendError as error:
            self.notify(error.message, title="CRM", severity="error")
            return
        matched_on = pop.matched_on if any(c.id == customer_id for c in pop.candidates) else None
        pop.record = record.model_copy(update={"matched_on": matched_on})
        pop.match_count = 1
        pop.candidates = []
        self._show_pop()
        self._update_bindings()

    @work(group="outbox-sender", exclusive=True)
    async def send_outbox(self) -> None:
        """Sends the CRM writes of the outbox for as long as the screen lives (and those a previous run left)."""
        self._outbox_changed()
        await self.outbox_sender.run()

    def _outbox_changed(self) -> None:
        self.refresh_outbox_counts()

    @work(group="outbox-counts", exclusive=True, thread=True)
    def refresh_outbox_counts(self) -> None:
        self.post_message(OutboxChanged(self.outbox.counts()))

    @work(group="actions")
    async def _run_action(self, coroutine: Awaitable[object], title: str) -> None:
        """Run one agent action against a backend; a refusal is shown, never raised."""
        try:
            result = await coroutine
        except BackendError as error:
            self.notify(error.message, title=title, severity="error")
            return
        if isinstance(result, Contact):
            self._apply_contact(result)

    # --- backend events --------------------------------------------------------

    @on(ContactCenterEventArrived)
    def _on_contact_center_event(self, message: ContactCenterEventArrived) -> None:
        event = message.event
        if isinstance(event, AgentStateEvent):
            self.agent_state = event.agent.state
            self.not_ready_reasons = event.agent.not_ready_reasons
            self.query_one(AgentStatus).agent = event.agent
            self.query_one(OfferCard).agent_state = event.agent.state
            self.sub_title = event.agent.name
        elif isinstance(event, OfferEvent):
            if event.offer.state is OfferState.PENDING and (self.offer is None or self.offer.id != event.offer.id):
                self.offer = event.offer
                self.query_one(OfferCard).offer = event.offer
                self.app.bell()
                self.pop_customer(event.offer.contact)
        elif isinstance(event, OfferClosedEvent):
            if self.offer is not None and self.offer.id == event.offer.id:
                self._clear_offer()
                self.notify(
                    f"The offer from {event.offer.contact.from_address} was {event.offer.state.value}.",
                    title="Offer closed",
                    severity="warning",
                )
        elif isinstance(event, ContactEvent):
            self._apply_contact(event.contact)
        self._update_bindings()

    @on(LinkChanged)
    def _on_link_changed(self, message: LinkChanged) -> None:
        status = self.query_one(AgentStatus)
        status.links = {**status.links, message.status.backend: message.status.connected}
        if not message.status.connected:
            return
        # Back after a gap: what was fetched before may be stale.
        if message.kind == "contact_center":
            self.load_queues()
        else:
            self.search_experts(self.query_one("#expert-search", Input).value.strip())

    @on(PresenceChanged)
    def _on_presence_changed(self, message: PresenceChanged) -> None:
        self.query_one(ExpertsPanel).update_presence(message.event.person_id, message.event.presence)

    def _apply_contact(self, contact: Contact) -> None:
        if self.offer is not None and self.offer.contact.id == contact.id and contact.state != ContactState.OFFERED:
            self._clear_offer(keep_pop=contact.state in IN_HAND)
        if contact.state in IN_HAND:
            self.contacts[contact.id] = contact
            if self.current_id is None or self.current_id not in self.contacts:
                self.current_id = contact.id
        else:
            self.contacts.pop(contact.id, None)
            if self.current_id == contact.id:
                self.current_id = next(iter(self.contacts), None)
        if contact.id not in self.pops and contact.state in IN_HAND:
            self.pop_customer(contact)  # picked up after a restart: the offer was not seen
        self._show_contacts()
        self._update_bindings()

    def _clear_offer(self, keep_pop: bool = False) -> None:
        if self.offer is not None and not keep_pop:
            self.pops.pop(self.offer.contact.id, None)
        self.offer = None
        self.query_one(OfferCard).offer = None
        self._show_pop()

    # --- showing state on the widgets -----------------------------------------

    def _show_contacts(self) -> None:
        self.query_one(ContactList).show(list(self.contacts.values()), self.clock(), self.current_id)
        self._show_pop()
        self._show_wrap_up()

    def _popped_contact_id(self) -> str | None:
        """The contact whose caller the card shows: the offer's, else the current contact's."""
        return self.offer.contact.id if self.offer else self.current_id

    def _show_pop(self) -> None:
        contact_id = self._popped_contact_id()
        pop = self.pops.get(contact_id) if contact_id else None
        # Redraw only when what the card shows changes: a redraw rebuilds the history table
        # and would throw away where the agent had scrolled to.
        shown = (
            contact_id, id(pop), pop and (pop.done, pop.error, id(pop.record), pop.match_count, len(pop.candidates))
        )
        if shown == self._shown_pop:
            return
        self._shown_pop = shown
        card = self.query_one(CustomerCard)
        if pop is None:
            card.show_message("The caller's record appears here when a contact is offered.")
        elif pop.error:
            card.show_message(f"CRM lookup failed: {pop.error}")
        elif pop.record is not None:
            card.show_record(pop.record, pop.match_count)
        elif pop.candidates:
            card.show_choices(pop.candidates, pop.matched_on)
        elif pop.done:
            card.show_new_caller(pop.address)
        else:
            card.show_searching(pop.address)

    def _show_wrap_up(self) -> None:
        contact = self._wrap_up_contact()
        self.query_one(WrapUpForm).open(contact, self.queues.get(contact.queue_id) if contact else None)

    def _wrap_up_contact(self) -> Contact | None:
        current = self.contacts.get(self.current_id) if self.current_id else None
        if current is not None and current.state == ContactState.AFTER_CONTACT_WORK:
            return current
        return next((c for c in self.contacts.values() if c.state == ContactState.AFTER_CONTACT_WORK), None)

    @on(DataTable.RowHighlighted, "#contacts")
    def _contact_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value in self.contacts and event.row_key.value != self.current_id:
            self.current_id = event.row_key.value
            self._show_pop()
            self._show_wrap_up()
            self._update_bindings()

    @on(ExpertsPanel.SearchChanged)
    def _experts_search(self, message: ExpertsPanel.SearchChanged) -> None:
        self.search_experts(message.query)

    # --- actions (every one has a key in the footer) ----------------------------

    def _enabled_actions(self) -> dict[str, bool]:
        current = self.contacts.get(self.current_id) if self.current_id else None
        wrapping_up = self._wrap_up_contact() is not None
        contact_id = self._popped_contact_id()
        pop = self.pops.get(contact_id) if contact_id else None
        return {
            "accept": self.offer is not None,
            "reject": self.offer is not None,
            "end_contact": current is not None and current.state in (ContactState.CONNECTED, ContactState.ON_HOLD),
            "wrap_up": wrapping_up,
            "submit_wrap_up": wrapping_up,
            "go_available": self.agent_state in (AgentState.OFFLINE, AgentState.NOT_READY, AgentState.MISSED),
            "not_ready": self.agent_state in (AgentState.OFFLINE, AgentState.AVAILABLE, AgentState.MISSED),
            "customer_tab": pop is not None and pop.record is not None,
            "pick_customer": pop is not None and pop.done and pop.record is None and pop.error is None,
            "case": pop is not None and pop.record is not None and contact_id is not None,
        }

    def _update_bindings(self) -> None:
        """Redraw the footer only when what the agent can do has changed."""
        enabled = self._enabled_actions()
        if enabled != self._last_enabled:
            self._last_enabled = enabled
            self.refresh_bindings()

    # The card's keys only make sense with a caller on it: hidden, not dimmed, otherwise (a crowded footer).
    _HIDDEN_WHEN_DISABLED = frozenset({"customer_tab", "pick_customer", "case"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._enabled_actions().get(action, True):
            return True
        return False if action in self._HIDDEN_WHEN_DISABLED else None

    def action_go_available(self) -> None:
        self._run_action(self.backends.contact_center.set_state(AgentState.AVAILABLE), "Available")

    def action_not_ready(self) -> None:
        def chosen(reason: str | None) -> None:
            if reason:
                self._run_action(self.backends.contact_center.set_state(AgentState.NOT_READY, reason), "Not ready")

        self.app.push_screen(ReasonPicker(self.not_ready_reasons or ["Break"]), chosen)

    def action_accept(self) -> None:
        if self.offer is not None:
            self._run_action(self.backends.contact_center.accept_offer(self.offer.id), "Accept")

    def action_reject(self) -> None:
        if self.offer is not None:
            offer_id = self.offer.id
            self._clear_offer()
            self._run_action(self.backends.contact_center.reject_offer(offer_id), "Reject")

    def action_end_contact(self) -> None:
        if self.current_id is not None:
            self._run_action(self.backends.contact_center.end_contact(self.current_id), "End contact")

    def _focus_now(self, selector: str) -> None:
        """Move focus now, not after a deferred callback (`Widget.focus`): keys typed right
        behind this one, by a fast typist or on a busy machine, must land where it sent them."""
        self.set_focus(self.query_one(selector))

    def action_wrap_up(self) -> None:
        if self._wrap_up_contact() is not None:
            self._focus_now("#disposition")

    def action_submit_wrap_up(self) -> None:
        self.query_one(WrapUpForm).submit()

    def action_find_expert(self) -> None:
        self._focus_now("#expert-search")

    def action_focus_contacts(self) -> None:
        self._focus_now("#contacts")

    # --- wrap-up: write back to the CRM, then complete in the contact center ----

    @on(WrapUpForm.Submitted)
    def _wrap_up_submitted(self, message: WrapUpForm.Submitted) -> None:
        self.save_wrap_up(message.contact_id, message.disposition, message.notes)

    @work(group="wrap-up", exclusive=True)
    async def save_wrap_up(self, contact_id: str, disposition: str, notes: str) -> None:
        """Outbox first (local, durable), then complete the contact: the CRM is written in the background,
        so a slow or absent CRM never holds the agent back from the next contact."""
        form = self.query_one(WrapUpForm)
        contact = self.contacts.get(contact_id)
        if contact is None:
            return
        pop = self.pops.get(contact_id)
        if pop is not None and pop.candidates and pop.record is None:
            form.set_status("Several customers match this caller: p picks one first.", "bold $warning")
            return
        customer_id = pop.record.customer.id if pop is not None and pop.record is not None else None
        agent_id = self.backends.contact_center.agent_id
        entry = await asyncio.to_thread(
            enqueue_wrap_up, self.outbox, contact, agent_id, disposition, notes, customer_id
        )
        self.outbox_sender.wake()
        self._outbox_changed()
        form.set_status("Saved in the outbox; completing the contact…")
        try:
            completed = await self.backends.contact_center.complete_contact(contact_id, disposition)
        except BackendError as error:
            form.set_status(
                f"Saved for the CRM, but not completed: {error.message}. ctrl+s retries.", "bold $error"
            )
            return
        self.pops.pop(contact_id, None)
        form.forget(contact_id)
        self._apply_contact(completed)
        self.notify(f"Wrap-up saved; the CRM write is {entry.state.value} (o shows the outbox).", title="Wrap-up")
        self._focus_now("#contacts")

    # --- the customer card's actions: tabs, picking, new caller, cases, outbox ---------

    def action_customer_tab(self, number: int) -> None:
        self.query_one(CustomerCard).show_tab(number)

    def action_pick_customer(self) -> None:
        contact_id = self._popped_contact_id()
        pop = self.pops.get(contact_id) if contact_id else None
        if contact_id is None or pop is None:
            return
        if pop.candidates:

            def picked(customer_id: str | None) -> None:
                if customer_id:
                    self.load_chosen_customer(contact_id, customer_id)

            self.app.push_screen(CustomerPicker(pop.candidates, pop.address), picked)
        elif pop.done and pop.record is None:
            self.query_one(NewCallerForm).focus_name()

    @on(NewCallerForm.Create)
    def _new_caller_form_submitted(self, message: NewCallerForm.Create) -> None:
        contact_id = self._popped_contact_id()
        if contact_id is not None:
            self.create_customer(contact_id, message.customer)

    @work(group="new-caller", exclusive=True)
    async def create_customer(self, contact_id: str, customer: NewCustomer) -> None:
        form = self.query_one(NewCallerForm)
        form.set_hint("Creating…")
        try:
            # One key per contact: pressing enter twice, or a retry after a timeout, makes one customer.
            created = await self.backends.crm.create_customer(customer, f"new-caller-{contact_id}-{customer.name}")
        except BackendError as error:
            form.set_hint(f"Not created: {error.message}")
            return
        self.load_chosen_customer(contact_id, created.id)
        self._focus_now("#contacts")

    def action_case(self) -> None:
        contact_id = self._popped_contact_id()
        pop = self.pops.get(contact_id) if contact_id else None
        if contact_id is None or pop is None or pop.record is None:
            return
        record = pop.record

        def chosen(choice: CaseChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "create":
                payload = {"customer_id": record.customer.id, "subject": choice.subject, "contact_id": contact_id}
                self.enqueue(EntryKind.CASE_CREATE, payload, contact_id, f"new case: {choice.subject}")
            else:
                payload = {"case_id": choice.case_id, "contact_id": contact_id}
                self.enqueue(EntryKind.CASE_LINK, payload, contact_id, f"link to {choice.case_id}")

        open_cases = [case for case in record.cases if case.is_open]
        self.app.push_screen(CaseDialog(open_cases, record.customer.name), chosen)

    @work(group="outbox-add")
    async def enqueue(self, kind: EntryKind, payload: dict, contact_id: str, label: str) -> None:
        await asyncio.to_thread(self.outbox.add, kind, payload, contact_id=contact_id, label=label)
        self.outbox_sender.wake()
        self._outbox_changed()
        self.notify(f"Queued for the CRM: {label}", title="Case")

    def action_show_outbox(self) -> None:
        self.open_outbox()

    @work(group="outbox-view", exclusive=True)
    async def open_outbox(self) -> None:
        entries = await asyncio.to_thread(self.outbox.recent)
        key = await self.app.push_screen_wait(OutboxView(entries))
        if key:
            await asyncio.to_thread(self.outbox.retry, key)
            self.outbox_sender.wake()
            self._outbox_changed()

    @on(OutboxChanged)
    def _on_outbox_changed(self, message: OutboxChanged) -> None:
        self.query_one(OutboxStatus).counts = message.counts
