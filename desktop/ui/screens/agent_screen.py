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
from textual.widgets import DataTable, Header

from desktop.backends.errors import BackendError
from desktop.backends.factory import Backends
from desktop.backends.models import (
    Agent,
    AgentState,
    AgentStateEvent,
    ConsultState,
    Contact,
    ContactEvent,
    ContactState,
    Customer,
    Expert,
    ExpertMessageEvent,
    CustomerRecord,
    NewCustomer,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    Queue,
    Target,
    TargetKind,
)
from desktop.backends.stream import LinkStatus
from desktop.caller_id import is_withheld
from desktop.experts import compose_escalation, contact_skills, next_best_available
from desktop.outbox.fixes import Fix, fixed_payload
from desktop.outbox.outcome import refused_outcome, wrap_up_outcome
from desktop.outbox.sender import OutboxSender
from desktop.outbox.store import EntryKind, OutboxEntry
from desktop.outbox.wrap_up import enqueue_wrap_up
from desktop.screen_pop_focus import card_contact_id, short_pop
from desktop.ui.messages import (
    ContactCenterEventArrived,
    ExpertMessageArrived,
    LinkChanged,
    OutboxChanged,
    PresenceChanged,
)
from desktop.ui.plain_text import literal_title, plain
from desktop.ui.screens.case_dialog import CaseChoice, CaseDialog
from desktop.ui.screens.customer_picker import CustomerPicker
from desktop.ui.screens.customer_search import CustomerSearch
from desktop.ui.screens.escalation_dialog import EscalationDialog
from desktop.ui.screens.expert_actions import ExpertAction, ExpertActions
from desktop.ui.screens.outbox_view import OutboxFix, OutboxView
from desktop.ui.screens.reason_picker import ReasonPicker
from desktop.ui.screens.skill_picker import SkillPicker
from desktop.ui.screens.transfer_dialog import TransferChoice, TransferDialog, TransferMode
from desktop.ui.widgets.agent_status import AgentStatus
from desktop.ui.widgets.contact_detail import ContactDetail
from desktop.ui.widgets.contact_list import ContactList
from desktop.ui.widgets.customer_card import CustomerCard
from desktop.ui.widgets.experts_panel import ExpertsPanel
from desktop.ui.widgets.footer import KeyFooter
from desktop.ui.widgets.new_caller_form import NewCallerForm
from desktop.ui.widgets.offer_card import OfferCard
from desktop.ui.widgets.outbox_status import OutboxStatus
from desktop.ui.widgets.wrap_up_form import WrapUpForm

IN_HAND = (ContactState.CONNECTED, ContactState.ON_HOLD, ContactState.AFTER_CONTACT_WORK)
TALKING = (ContactState.CONNECTED, ContactState.ON_HOLD)


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
    withheld: bool = False  # the caller hid their number: nothing to look up, the agent searches


class AgentScreen(Screen):
    CSS_PATH = "agent_screen.tcss"
    BINDINGS = [
        Binding(
            "v",
            "go_available",
            "Available",
            tooltip="Go Available to receive contacts (on a contact: drop the next state, take more contacts)",
        ),
        # Same key, two actions: check_action hides the one that does not apply (contacts in hand or not).
        Binding("n", "not_ready", "Not ready", tooltip="Go Not ready, with a reason"),
        Binding("n", "next_not_ready", "Next state", tooltip="Go Not ready once the contacts in hand are done"),
        Binding("a", "accept", "Accept", tooltip="Accept the offered contact"),
        Binding("r", "reject", "Reject", tooltip="Reject the offered contact: it goes back to the queue"),
        Binding("e", "end_contact", "End", tooltip="End the current contact and start after-contact work"),
        Binding("h", "hold", "Hold", tooltip="Put the selected contact on hold"),
        Binding("h", "resume", "Resume", tooltip="Take the selected contact off hold"),
        Binding("t", "transfer", "Transfer", tooltip="Transfer the selected contact to a queue, an agent or an expert"),
        Binding("k", "complete_consult", "Complete transfer", tooltip="Hand the contact to the consulted party"),
        Binding("x", "cancel_consult", "Cancel consult", tooltip="End the consult leg and return to the customer"),
        Binding("right_square_bracket", "next_contact", "Switch", tooltip="Select the next contact in hand"),
        Binding("left_square_bracket", "previous_contact", "Previous contact", show=False),
        Binding("w", "wrap_up", "Wrap-up", tooltip="Go to the disposition and notes"),
        Binding(
            "ctrl+s", "submit_wrap_up", "Save wrap-up", priority=True, tooltip="Write the wrap-up to the CRM and complete"
        ),
        Binding("slash", "find_expert", "Find expert", tooltip="Search the experts by name, skill or department"),
        Binding("s", "skill_filter", "Skill", tooltip="Filter the experts by a skill (the contact's skills first)"),
        Binding("m", "message_expert", "Message", tooltip="Send the highlighted expert an escalation message"),
        Binding("escape", "focus_contacts", "Contacts", show=False),
        # The screen pop's tabs and the CRM write-back.
        Binding(
            "1", "customer_tab(1)", "Tabs", key_display="1-5", tooltip="Card tabs: cases, history, orders, account, profile (arrows scroll)"
        ),
        *(Binding(str(n), f"customer_tab({n})", "Card tab", show=False) for n in range(2, 6)),
        Binding("p", "pick_customer", "Pick", tooltip="Pick among several matching customers, or fill in a new caller"),
        Binding(
            "f", "find_customer", "Find customer", tooltip="Search the CRM by name, phone, email or account (a withheld caller)"
        ),
        Binding("c", "case", "Case", tooltip="Open a case from this contact, or link it to an open case"),
        Binding("o", "show_outbox", "Outbox", tooltip="CRM writes pending, sent and failed"),
    ]

    def __init__(self, backends: Backends, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.backends = backends
        self.clock = clock
        self.agent: Agent | None = None
        self.agent_state: AgentState | None = None
        self.not_ready_reasons: list[str] = []
        self.offer: Offer | None = None
        self.contacts: dict[str, Contact] = {}
        self.current_id: str | None = None
        self.queues: dict[str, Queue] = {}
        self.pops: dict[str, ScreenPop] = {}
        self.outbox = backends.outbox
        self.outbox_sender = OutboxSender(
            self.outbox, backends.crm, on_change=self._outbox_changed, on_refused=self._outbox_refused
        )
        self._last_enabled: dict[str, bool | None] = {}
        self._shown_pop: tuple[object, ...] | None = None
        # Contacts the contact center completed (ACW timeout) before the agent saved the wrap-up:
        # kept on screen so the notes typed so far still reach the CRM.
        self.timed_out: set[str] = set()
        # Contacts this desktop completed (or is completing): a completed contact never comes back, so a
        # late or replayed event about one (after a reconnect) is ignored, and its completion is no timeout.
        self._completed_here: set[str] = set()
        self._accepting: str | None = None  # the contact being accepted: selected once it is in hand

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield AgentStatus(id="agent-status")
        with Vertical(id="work"):
            yield OfferCard(id="offer")
            yield ContactList(id="contacts")
            yield ContactDetail(id="contact-detail")
        yield CustomerCard(id="customer")
        yield WrapUpForm(id="wrap-up")
        yield ExpertsPanel(id="experts")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#offer").border_title = "Offer"
        self.query_one("#contacts").border_title = "My contacts"
        self.query_one("#contact-detail").border_title = "Selected contact"
        self.title = "Agent desktop"
        self.tick()
        self.set_interval(0.5, self.tick)
        self.listen_contact_center()
        self.listen_presence()
        self.send_outbox()
        self.query_one(ContactList).focus()

    def contacts_in_hand(self) -> int:
        """How many contacts the agent holds (the app asks before quitting with any)."""
        return sum(1 for contact in self.contacts.values() if contact.state in IN_HAND)

    def tick(self) -> None:
        now = self.clock()
        self.query_one(AgentStatus).now = now
        self.query_one(OfferCard).now = now
        self.query_one(ContactDetail).now = now
        if self.contacts:
            self.query_one(ContactList).refresh_times(list(self.contacts.values()), now)
        self._show_acw_countdown(now)

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
            if isinstance(item, LinkStatus):
                self.post_message(LinkChanged(item, "presence"))
            elif isinstance(item, ExpertMessageEvent):
                self.post_message(ExpertMessageArrived(item))
            else:
                self.post_message(PresenceChanged(item))

    @work(group="queues", exclusive=True)
    async def load_queues(self) -> None:
        """Queues (and their dispositions), fetched each time the contact-center link comes up."""
        try:
            self.queues = {q.id: q for q in await self.backends.contact_center.list_queues()}
        except BackendError as error:
            self.notify(error.message, title="Queues", severity="error")
            return
        self._show_wrap_up()
        self._suggest_experts()

    @work(group="experts-search", exclusive=True)
    async def search_experts(self, query: str, skill: str | None = None) -> None:
        await asyncio.sleep(0.15 if query else 0)  # let typing settle
        try:
            experts = await self.backends.presence.list_experts(query, skill)
        except BackendError as error:
            self.notify(error.message, title="Experts", severity="error")
            return
        self.query_one(ExpertsPanel).show(experts)

    @work(group="expert-actions", exclusive=True)
    async def offer_expert_actions(self, expert: Expert) -> None:
        """The action menu for an expert; if they are not free, with the next best available one."""
        alternative = None
        if not expert.presence.availability.is_free:
            panel = self.query_one(ExpertsPanel)
            people = {e.id: e for e in panel.experts()}
            try:  # the panel may show a search: look for the same skills in the whole directory
                for skill in expert.skills:
                    people.update((e.id, e) for e in await self.backends.presence.list_experts("", skill))
            except BackendError as error:
                self.notify(plain(f"Showing only the experts on screen: {error.message}"), title="Experts", severity="warning")
            alternative = next_best_available(expert, people.values(), panel.suggested_skills)
        self.app.push_screen(ExpertActions(expert, alternative, self._transfer_blocked()), self._expert_action_chosen)

    @work(group="expert-message")
    async def send_escalation(self, expert: Expert, text: str) -> None:
        try:
            await self.backends.presence.send_message(expert.id, text, self.sub_title or None)
        except BackendError as error:
            self.notify(error.message, title=literal_title(f"Message to {expert.name}"), severity="error")
            return
        self.notify(plain(f"Sent to {expert.name}. Their reply will show here."), title="Escalation message")

    @work(group="screen-pop")
    async def pop_customer(self, contact: Contact) -> None:
        crm = self.backends.crm
        pop = ScreenPop(contact.from_address, withheld=is_withheld(contact.from_address))
        self.pops[contact.id] = pop
        self._show_pop()
        if pop.withheld:  # no number to look up (the CRM would refuse it): the agent asks and searches (f)
            pop.done = True
            self._show_pop()
            self.call_after_refresh(self._update_bindings)
            return
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

    def _outbox_refused(self, entry: OutboxEntry) -> None:
        """The CRM refused a write for good: say so in words, with the way to fix it (o)."""
        self.notify(refused_outcome(entry), title="CRM write refused", severity="error", timeout=30)

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
            self.agent = event.agent
            self.agent_state = event.agent.state
            self.not_ready_reasons = event.agent.not_ready_reasons
            self.query_one(AgentStatus).agent = event.agent
            self.query_one(OfferCard).agent_state = event.agent.state
            self.sub_title = literal_title(event.agent.name)
        elif isinstance(event, OfferEvent):
            if event.offer.state is OfferState.PENDING and (self.offer is None or self.offer.id != event.offer.id):
                self.offer = event.offer
                self.query_one(OfferCard).offer = event.offer
                self.app.bell()
                self.pop_customer(event.offer.contact)
        elif isinstance(event, OfferClosedEvent):
            if self.offer is not None and self.offer.id == event.offer.id:
                self._clear_offer()
                # A missed offer makes the agent not routable; on a contact, the state line still says Busy.
                busy_hint = (
                    " No more offers until you press v (Available)."
                    if event.offer.state in (OfferState.EXPIRED, OfferState.REJECTED) and self.contacts
                    else ""
                )
                self.notify(
                    plain(f"The offer from {event.offer.contact.from_address} was {event.offer.state.value}.{busy_hint}"),
                    title="Offer closed",
                    severity="warning",
                )
        elif isinstance(event, ContactEvent):
            self._apply_contact(event.contact)
        self._update_bindings()

    @on(LinkChanged)
    def _on_link_changed(self, message: LinkChanged) -> None:
        status = self.query_one(AgentStatus)
        status.links = {**status.links, message.status.backend: message.status}
        if not message.status.connected:
            return
        # Back after a gap: what was fetched before may be stale.
        if message.kind == "contact_center":
            self.load_queues()
        else:
            panel = self.query_one(ExpertsPanel)
            self.search_experts(panel.query, panel.skill)

    @on(PresenceChanged)
    def _on_presence_changed(self, message: PresenceChanged) -> None:
        self.query_one(ExpertsPanel).update_presence(message.event.person_id, message.event.presence)

    @on(ExpertMessageArrived)
    def _on_expert_message(self, message: ExpertMessageArrived) -> None:
        sent = message.event.message
        if sent.direction != "inbound":
            return
        panel = self.query_one(ExpertsPanel)
        panel.note_reply(sent)
        expert = panel.expert(sent.person_id)
        who = sent.sender or (expert.name if expert else sent.person_id)
        self.notify(sent.text, title=literal_title(f"Reply from {who}"), timeout=10)

    def _apply_contact(self, contact: Contact) -> None:
        if contact.id in self._completed_here and contact.id not in self.contacts:
            return
        mine = contact.agent_id == self.backends.contact_center.agent_id
        in_hand = contact.state in IN_HAND and mine
        if self.offer is not None and self.offer.contact.id == contact.id and contact.state != ContactState.OFFERED:
            self._clear_offer(keep_pop=in_hand)
        timed_out = (
            contact.state == ContactState.COMPLETED
            and contact.id in self.contacts
            and contact.id not in self._completed_here
        )
        if in_hand or timed_out:
            if timed_out:
                self.timed_out.add(contact.id)
            self.contacts[contact.id] = contact
            if self.current_id is None or self.current_id not in self.contacts or contact.id == self._accepting:
                self.current_id = contact.id
            if contact.id == self._accepting:
                self._accepting = None
        else:
            if self.contacts.pop(contact.id, None) is not None and contact.state != ContactState.COMPLETED:
                self.pops.pop(contact.id, None)  # transferred away: its caller's card is no longer needed
            self.timed_out.discard(contact.id)
            if self.current_id == contact.id:
                self.current_id = next(iter(self.contacts), None)
        if contact.id not in self.pops and in_hand:
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
        self.query_one(ContactDetail).contact = self._current()
        self._show_pop()
        self._show_wrap_up()

    def _current(self) -> Contact | None:
        """The selected contact: the one hold, end, transfer and wrap-up act on."""
        return self.contacts.get(self.current_id) if self.current_id else None

    def _show_acw_countdown(self, now: datetime) -> None:
        contact = self.query_one(WrapUpForm).contact
        subtitle = ""
        if contact is not None and contact.id in self.timed_out:
            subtitle = "closed by timeout — not saved yet"
        elif contact is not None and contact.acw_deadline is not None:
            left = max(0, int((contact.acw_deadline - now).total_seconds()))
            subtitle = f"closes in {left // 60}:{left % 60:02d}"
        self.query_one(WrapUpForm).border_subtitle = literal_title(subtitle)

    def _popped_contact_id(self) -> str | None:
        """The contact whose caller the card shows: the selected one in hand, else the offer's."""
        return card_contact_id(self.current_id, self.contacts, self.offer.contact.id if self.offer else None)

    def _show_offer_pop(self) -> None:
        """The offered contact's caller, in one line on the offer card."""
        pop = self.pops.get(self.offer.contact.id) if self.offer else None
        caller = None
        if pop is not None:
            caller = short_pop(
                record=pop.record, candidates=len(pop.candidates), done=pop.done, error=pop.error, withheld=pop.withheld
            )
        for card in self.query(OfferCard):  # none while the app is closing
            card.caller = caller

    def _show_pop(self) -> None:
        self._show_offer_pop()
        contact_id = self._popped_contact_id()
        pop = self.pops.get(contact_id) if contact_id else None
        # Redraw only when what the card shows changes: a redraw rebuilds the history table
        # and would throw away where the agent had scrolled to.
        shown = (
            contact_id, id(pop), pop and (pop.done, pop.error, id(pop.record), pop.match_count, len(pop.candidates))
        )
        if shown == self._shown_pop:
            return
        cards = self.query(CustomerCard)
        if not cards:
            return  # the app is closing: a lookup finished after the screen's widgets were removed
        self._shown_pop = shown
        card = cards.first()
        if pop is None:
            card.show_message("The caller's record appears here when a contact is offered.")
        elif pop.error:
            card.show_message(f"CRM lookup failed: {pop.error}")
        elif pop.record is not None:
            card.show_record(pop.record, pop.match_count)
        elif pop.candidates:
            card.show_choices(pop.candidates, pop.matched_on)
        elif pop.withheld:
            card.show_withheld()
        elif pop.done:
            card.show_new_caller(pop.address)
        else:
            card.show_searching(pop.address)

    def _show_wrap_up(self) -> None:
        contact = self._wrap_up_contact()
        self.query_one(WrapUpForm).open(contact, self.queues.get(contact.queue_id) if contact else None)

    def _wrap_up_contact(self) -> Contact | None:
        def wrapping_up(contact: Contact) -> bool:
            return contact.state == ContactState.AFTER_CONTACT_WORK or contact.id in self.timed_out

        current = self._current()
        if current is not None and wrapping_up(current):
            return current
        return next((c for c in self.contacts.values() if wrapping_up(c)), None)

    @on(DataTable.RowHighlighted, "#contacts")
    def _contact_highlighted(self, event: DataTable.RowHighlighted) -> None:
        contact_id = event.row_key.value
        if contact_id != self.query_one(ContactList).highlighted_id():
            return  # the cursor has moved on since (the list was redrawn)
        if contact_id in self.contacts and contact_id != self.current_id:
            self._select(contact_id)

    def _select(self, contact_id: str) -> None:
        self.current_id = contact_id
        self._show_contacts()
        self._update_bindings()

    # --- experts: suggestions for the contact, and escalating to one -----------------

    @on(ExpertsPanel.SearchChanged)
    def _experts_search(self, message: ExpertsPanel.SearchChanged) -> None:
        self.search_experts(message.query, message.skill)

    def _escalation_contact(self) -> Contact | None:
        """The contact an escalation is about: the one offered, else the current one in hand."""
        if self.offer is not None:
            return self.offer.contact
        return self.contacts.get(self.current_id) if self.current_id else None

    def _suggest_experts(self) -> None:
        panel = self.query_one(ExpertsPanel)
        contact = self._escalation_contact()
        queue = self.queues.get(contact.queue_id) if contact else None
        skills = tuple(contact_skills(contact, queue, panel.known_skills))
        if skills != panel.suggested_skills:
            panel.suggested_skills = skills
        panel.suggested_for = ", ".join(skills)

    def _transfer_blocked(self) -> str | None:
        contact = self.contacts.get(self.current_id) if self.current_id else None
        if contact is None or contact.state not in (ContactState.CONNECTED, ContactState.ON_HOLD):
            return "no contact connected"
        return None

    @on(ExpertsPanel.ExpertChosen)
    def _expert_chosen(self, message: ExpertsPanel.ExpertChosen) -> None:
        self.offer_expert_actions(message.expert)

    def _expert_action_chosen(self, action: ExpertAction | None) -> None:
        if action is None:
            return
        panel = self.query_one(ExpertsPanel)
        if action.kind == "message":
            panel.post_message(ExpertsPanel.MessageRequested(action.expert))
        else:
            panel.post_message(ExpertsPanel.TransferRequested(action.expert, action.kind))

    @on(ExpertsPanel.MessageRequested)
    def _expert_message_requested(self, message: ExpertsPanel.MessageRequested) -> None:
        contact = self._escalation_contact()
        pop = self.pops.get(contact.id) if contact else None
        draft = compose_escalation(
            agent_name=self.sub_title or None, contact=contact, record=pop.record if pop else None
        )
        expert = message.expert

        def send(text: str | None) -> None:
            if text:
                self.send_escalation(expert, text)

        self.app.push_screen(EscalationDialog(expert, draft), send)

    @on(ExpertsPanel.TransferRequested)
    def _expert_transfer_requested(self, message: ExpertsPanel.TransferRequested) -> None:
        """Consult or transfer the selected contact to the expert's address, through the CCaaS."""
        expert = message.expert
        if not expert.address:
            self.notify(plain(f"{expert.name} has no address to transfer to."), title="Transfer", severity="warning")
            return
        mode = "consult" if message.mode == "consult" else "blind"
        self.start_transfer(Target(kind=TargetKind.ADDRESS, id=expert.address, name=expert.name), mode)

    # --- actions (every one has a key in the footer) ----------------------------

    def _enabled_actions(self) -> dict[str, bool]:
        current = self._current()
        wrapping_up = self._wrap_up_contact() is not None
        talking = current is not None and current.state in TALKING
        consult = current.consult if current is not None else None
        in_hand = any(c.state in IN_HAND for c in self.contacts.values())
        contact_id = self._popped_contact_id()
        pop = self.pops.get(contact_id) if contact_id else None
        return {
            "accept": self.offer is not None,
            "reject": self.offer is not None,
            "end_contact": talking and consult is None,
            "wrap_up": wrapping_up,
            "submit_wrap_up": wrapping_up,
            # With contacts in hand, Available drops a requested next state and clears Missed (after an
            # offer was rejected or missed, the busy agent gets no more offers until they say so).
            "go_available": (in_hand and self.offer is None)
            or self.agent_state in (AgentState.OFFLINE, AgentState.NOT_READY, AgentState.MISSED),
            "not_ready": not in_hand and self.agent_state in (AgentState.OFFLINE, AgentState.AVAILABLE, AgentState.MISSED),
            "next_not_ready": in_hand,
            "hold": talking and consult is None and current.state == ContactState.CONNECTED,
            "resume": talking and consult is None and current.state == ContactState.ON_HOLD,
            "transfer": talking and consult is None,
            "complete_consult": consult is not None and consult.state == ConsultState.CONNECTED,
            "cancel_consult": consult is not None,
            "next_contact": len(self.contacts) > 1,
            "previous_contact": len(self.contacts) > 1,
            "customer_tab": pop is not None and pop.record is not None,
            "pick_customer": pop is not None and pop.done and pop.record is None and pop.error is None,
            "find_customer": pop is not None and pop.done and pop.record is None,
            "case": pop is not None and pop.record is not None and contact_id is not None,
        }

    def _hidden(self, action: str) -> bool:
        """Keys that only make sense in one situation are left out of the footer otherwise (it has
        room for about a dozen keys). Two actions share n and h: the one for the other situation
        is hidden, so the key shows the one that applies."""
        current = self._current()
        in_hand = any(c.state in IN_HAND for c in self.contacts.values())
        hidden = {
            "not_ready": in_hand,
            "next_not_ready": not in_hand,
            # During a consult the customer's hold belongs to it: x and k apply, not h.
            "hold": current is not None and (current.state == ContactState.ON_HOLD or current.consult is not None),
            "resume": current is None or current.state != ContactState.ON_HOLD or current.consult is not None,
            "complete_consult": current is None or current.consult is None,
            "cancel_consult": current is None or current.consult is None,
            "next_contact": len(self.contacts) < 2,
        }
        return hidden.get(action, False)

    def _experts_table_focused(self) -> bool:
        return self.focused is not None and self.focused.id == "expert-table"

    def _update_bindings(self) -> None:
        """Redraw the footer only when what the agent can do has changed."""
        shown = {action: self.check_action(action, ()) for action in self._enabled_actions()}
        if shown != self._last_enabled:
            self._last_enabled = shown
            self.refresh_bindings()
        self._suggest_experts()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._hidden(action):
            return False
        if action in ("message_expert", "skill_filter"):
            # Keys on the expert under the cursor: shown (and working) while the experts list has focus.
            return self._experts_table_focused()
        if action == "find_expert" and self._experts_table_focused():
            return False  # room in the footer for the expert keys; `/` still works there (ExpertsPanel)
        # A key that does not apply right now is left out of the footer (there is no room for all
        # twenty) and out of the palette; it comes back the moment it applies.
        return self._enabled_actions().get(action, True)

    def action_go_available(self) -> None:
        if any(c.state in IN_HAND for c in self.contacts.values()):
            self.available_while_busy()
        else:
            self._run_action(self.backends.contact_center.set_state(AgentState.AVAILABLE), "Available")

    @work(group="actions")
    async def available_while_busy(self) -> None:
        """On a contact: forget the requested next state, and be routable for more contacts within
        capacity (this also clears Missed after an offer was rejected or timed out)."""
        center = self.backends.contact_center
        try:
            if self.agent is not None and self.agent.next_state is not None:
                await center.set_next_state(None)
            await center.set_state(AgentState.AVAILABLE)
        except BackendError as error:
            self.notify(error.message, title="Available", severity="error")

    def action_not_ready(self) -> None:
        def chosen(reason: str | None) -> None:
            if reason:
                self._run_action(self.backends.contact_center.set_state(AgentState.NOT_READY, reason), "Not ready")

        self.app.push_screen(ReasonPicker(self.not_ready_reasons or ["Break"]), chosen)

    def action_next_not_ready(self) -> None:
        def chosen(reason: str | None) -> None:
            if reason:
                self._run_action(
                    self.backends.contact_center.set_next_state(AgentState.NOT_READY, reason), "Next state"
                )

        self.app.push_screen(ReasonPicker(self.not_ready_reasons or ["Break"]), chosen)

    def action_accept(self) -> None:
        if self.offer is not None:
            self._accepting = self.offer.contact.id
            self._run_action(self.backends.contact_center.accept_offer(self.offer.id), "Accept")

    def action_reject(self) -> None:
        if self.offer is not None:
            offer_id = self.offer.id
            self._clear_offer()
            self._run_action(self.backends.contact_center.reject_offer(offer_id), "Reject")
            if self.contacts:
                self.notify("No more offers until you press v (Available).", title="Rejected")

    def action_end_contact(self) -> None:
        if self.current_id is not None:
            self._run_action(self.backends.contact_center.end_contact(self.current_id), "End contact")

    def action_hold(self) -> None:
        if self.current_id is not None:
            self._run_action(self.backends.contact_center.hold_contact(self.current_id), "Hold")

    def action_resume(self) -> None:
        if self.current_id is not None:
            self._run_action(self.backends.contact_center.resume_contact(self.current_id), "Resume")

    def action_transfer(self) -> None:
        contact = self._current()
        if contact is not None:
            self.open_transfer_dialog(contact)

    @work(group="transfer-dialog", exclusive=True)
    async def open_transfer_dialog(self, contact: Contact) -> None:
        try:
            experts = await self.backends.presence.list_experts()
        except BackendError as error:
            self.notify(plain(f"Experts unavailable: {error.message}"), title="Transfer", severity="warning")
            experts = []
        choice: TransferChoice | None = await self.app.push_screen_wait(
            TransferDialog(contact, list(self.queues.values()), experts)
        )
        if choice is not None and self.current_id == contact.id:
            self.start_transfer(choice.target, choice.mode)

    def start_transfer(self, target: Target, mode: TransferMode = "blind") -> None:
        """Transfer the selected contact to `target`: at once ("blind"), or after speaking to the
        target on a second leg while the customer holds ("consult"). Other panels may call this."""
        if self.current_id is None:
            self.notify("Select a contact to transfer first.", title="Transfer", severity="warning")
            return
        center = self.backends.contact_center
        if mode == "consult":
            self._run_action(center.start_consult(self.current_id, target), f"Consult {target.label}")
        else:
            self._run_action(center.transfer_contact(self.current_id, target), f"Transfer to {target.label}")

    def action_complete_consult(self) -> None:
        if self.current_id is not None:
            self._run_action(self.backends.contact_center.complete_consult(self.current_id), "Complete transfer")

    def action_cancel_consult(self) -> None:
        if self.current_id is not None:
            self._run_action(self.backends.contact_center.cancel_consult(self.current_id), "Cancel consult")

    def _step_selection(self, step: int) -> None:
        ids = list(self.contacts)
        if len(ids) < 2:
            return
        index = ids.index(self.current_id) if self.current_id in ids else 0
        self._select(ids[(index + step) % len(ids)])

    def action_next_contact(self) -> None:
        self._step_selection(1)

    def action_previous_contact(self) -> None:
        self._step_selection(-1)

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

    def action_skill_filter(self) -> None:
        panel = self.query_one(ExpertsPanel)

        def chosen(skill: str | None) -> None:
            if skill is not None:
                panel.skill = skill or None

        self.app.push_screen(SkillPicker(sorted(panel.known_skills), list(panel.suggested_skills), panel.skill), chosen)

    def _highlighted_expert(self) -> Expert | None:
        expert = self.query_one(ExpertsPanel).highlighted()
        if expert is None:
            self.notify("No expert to choose: search with / first.", title="Experts", severity="warning")
        return expert

    def action_message_expert(self) -> None:
        expert = self._highlighted_expert()
        if expert is None:
            return
        if expert.presence.availability.is_free:
            self.query_one(ExpertsPanel).post_message(ExpertsPanel.MessageRequested(expert))
        else:
            self.offer_expert_actions(expert)  # warns, and offers the next best available one

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
            completed = await self._complete_in_contact_center(contact, disposition)
        except BackendError as error:
            form.set_status(
                f"Saved for the CRM, but not completed: {error.message}. ctrl+s retries.", "bold $error"
            )
            return
        self.pops.pop(contact_id, None)
        self._apply_contact(completed)
        form.forget(contact_id)  # after the form has moved on: it keeps the draft of the contact it leaves
        # Say what is true now: the sender may have written it (or the CRM refused it) meanwhile.
        message, severity = wrap_up_outcome(await asyncio.to_thread(self.outbox.get, entry.key) or entry)
        self.notify(plain(message), title="Wrap-up", severity=severity)
        self._focus_now("#contacts")

    async def _complete_in_contact_center(self, contact: Contact, disposition: str) -> Contact:
        """Complete the contact; one the contact center already completed (the queue's ACW
        timeout ran out) counts as done: the wrap-up has been written to the CRM by now."""
        self._completed_here.add(contact.id)  # its completed event is ours, not a timeout
        if contact.id in self.timed_out:
            return contact
        try:
            return await self.backends.contact_center.complete_contact(contact.id, disposition)
        except BackendError as error:
            if error.status == 409 and error.state == ContactState.COMPLETED:
                return contact.model_copy(update={"state": ContactState.COMPLETED})
            self._completed_here.discard(contact.id)
            raise

    # --- the customer card's actions: tabs, picking, new caller, cases, outbox ---------

    def action_customer_tab(self, number: int) -> None:
        self.query_one(CustomerCard).show_tab(number, focus=True)

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

    def action_find_customer(self) -> None:
        contact_id = self._popped_contact_id()
        if contact_id is None or contact_id not in self.pops:
            return

        def found(customer_id: str | None) -> None:
            if customer_id:
                self.load_chosen_customer(contact_id, customer_id)

        self.app.push_screen(CustomerSearch(self.backends.crm.search_customers), found)

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
        self.notify(plain(f"Queued for the CRM: {label}"), title="Case")

    def action_show_outbox(self) -> None:
        self.open_outbox()

    @work(group="outbox-view", exclusive=True)
    async def open_outbox(self) -> None:
        entries = await asyncio.to_thread(self.outbox.recent)
        chosen: OutboxFix | None = await self.app.push_screen_wait(OutboxView(entries))
        entry = next((e for e in entries if chosen and e.key == chosen.key), None)
        if chosen is None or entry is None:
            return
        customer_id = None
        if chosen.fix is Fix.ATTACH:
            customer_id = await self.app.push_screen_wait(
                CustomerSearch(self.backends.crm.search_customers, "Attach the refused write to…")
            )
            if not customer_id:
                return
        await asyncio.to_thread(self.outbox.retry, entry.key, fixed_payload(entry, chosen.fix, customer_id))
        self.outbox_sender.wake()
        self._outbox_changed()
        self.notify(plain(f"Sent again: {entry.label}"), title="CRM outbox")

    @on(OutboxChanged)
    def _on_outbox_changed(self, message: OutboxChanged) -> None:
        self.query_one(OutboxStatus).counts = message.counts
