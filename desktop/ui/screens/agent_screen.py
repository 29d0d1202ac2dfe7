"""The agent's work view: state, the offer, contacts in hand, screen pop, experts and wrap-up.

The screen owns the flow. Backend events arrive as messages from workers; the
screen keeps the agent's state and sets it on the widgets (attributes down),
and widgets report what the agent did with messages (messages up).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Select

from desktop.backends.errors import BackendError
from desktop.backends.factory import Backends
from desktop.backends.models import (
    AgentState,
    AgentStateEvent,
    Contact,
    ContactEvent,
    Expert,
    ExpertMessageEvent,
    ContactState,
    CustomerRecord,
    InteractionCreate,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    Queue,
)
from desktop.backends.stream import LinkStatus
from desktop.experts import compose_escalation, contact_skills, next_best_available
from desktop.ui.messages import ContactCenterEventArrived, ExpertMessageArrived, LinkChanged, PresenceChanged
from desktop.ui.screens.escalation_dialog import EscalationDialog
from desktop.ui.screens.expert_actions import ExpertAction, ExpertActions
from desktop.ui.screens.reason_picker import ReasonPicker
from desktop.ui.screens.skill_picker import SkillPicker
from desktop.ui.widgets.agent_status import AgentStatus
from desktop.ui.widgets.contact_list import ContactList
from desktop.ui.widgets.customer_card import CustomerCard
from desktop.ui.widgets.experts_panel import ExpertsPanel
from desktop.ui.widgets.footer import KeyFooter
from desktop.ui.widgets.offer_card import OfferCard
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
        Binding("s", "skill_filter", "Skill", tooltip="Filter the experts by a skill (the contact's skills first)"),
        Binding("m", "message_expert", "Message", tooltip="Send the highlighted expert an escalation message"),
        Binding("escape", "focus_contacts", "Contacts", show=False),
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
        self.created_customers: dict[str, str] = {}  # contact id -> customer id made for a new caller
        self.idempotency_keys: dict[str, str] = {}
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
                self.notify(f"Showing only the experts on screen: {error.message}", title="Experts", severity="warning")
            alternative = next_best_available(expert, people.values(), panel.suggested_skills)
        self.app.push_screen(ExpertActions(expert, alternative, self._transfer_blocked()), self._expert_action_chosen)

    @work(group="expert-message")
    async def send_escalation(self, expert: Expert, text: str) -> None:
        try:
            await self.backends.presence.send_message(expert.id, text, self.sub_title or None)
        except BackendError as error:
            self.notify(error.message, title=f"Message to {expert.name}", severity="error")
            return
        self.notify(f"Sent to {expert.name}. Their reply will show here.", title="Escalation message")

    @work(group="screen-pop")
    async def pop_customer(self, contact: Contact) -> None:
        crm = self.backends.crm
        pop = ScreenPop(contact.from_address)
        self.pops[contact.id] = pop
        self._show_pop()
        try:
            result = await crm.lookup(contact.from_address)
            pop.match_count = len(result.customers)
            if result.customers:
                record = await crm.customer_record(result.customers[0].id)
                pop.record = record.model_copy(update={"matched_on": result.matched_on})
        except BackendError as error:
            pop.error = error.message
        pop.done = True
        self._show_pop()

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
        self.notify(sent.text, title=f"Reply from {who}", timeout=10)

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

    def _show_pop(self) -> None:
        contact_id = self.offer.contact.id if self.offer else self.current_id
        pop = self.pops.get(contact_id) if contact_id else None
        # Redraw only when what the card shows changes: a redraw rebuilds the history table
        # and would throw away where the agent had scrolled to.
        shown = (contact_id, id(pop), pop and (pop.done, pop.error, id(pop.record), pop.match_count))
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
        """Consult or transfer the current contact to the expert's address, through the CCaaS.

        The CCaaS client side (`AgentScreen.start_transfer(target, mode)`, POST /v1/contacts/{id}/transfer
        or /consult with an `address` target) comes with the routing issue; this is where it is called.
        """
        expert = message.expert
        if not expert.address:
            self.notify(f"{expert.name} has no address to transfer to.", title="Transfer", severity="warning")
            return
        target = {"kind": "address", "id": expert.address, "name": expert.name}
        start_transfer = getattr(self, "start_transfer", None)
        if start_transfer is None:
            self.notify(
                f"{message.mode.title()} to {expert.name} ({expert.address}) is not available in this build.",
                title=message.mode.title(),
                severity="warning",
            )
            return
        start_transfer(target, message.mode)

    # --- actions (every one has a key in the footer) ----------------------------

    def _enabled_actions(self) -> dict[str, bool]:
        current = self.contacts.get(self.current_id) if self.current_id else None
        wrapping_up = self._wrap_up_contact() is not None
        return {
            "accept": self.offer is not None,
            "reject": self.offer is not None,
            "end_contact": current is not None and current.state in (ContactState.CONNECTED, ContactState.ON_HOLD),
            "wrap_up": wrapping_up,
            "submit_wrap_up": wrapping_up,
            "go_available": self.agent_state in (AgentState.OFFLINE, AgentState.NOT_READY, AgentState.MISSED),
            "not_ready": self.agent_state in (AgentState.OFFLINE, AgentState.AVAILABLE, AgentState.MISSED),
        }

    def _experts_table_focused(self) -> bool:
        return self.focused is not None and self.focused.id == "expert-table"

    def _update_bindings(self) -> None:
        """Redraw the footer only when what the agent can do has changed."""
        enabled = self._enabled_actions()
        if enabled != self._last_enabled:
            self._last_enabled = enabled
            self.refresh_bindings()
        self._suggest_experts()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("message_expert", "skill_filter"):
            # Keys on the expert under the cursor: shown (and working) while the experts list has focus.
            return self._experts_table_focused()
        if action == "find_expert" and self._experts_table_focused():
            return False  # room in the footer for the expert keys; `/` still works there (ExpertsPanel)
        return True if self._enabled_actions().get(action, True) else None

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
        form = self.query_one(WrapUpForm)
        contact = self.contacts.get(contact_id)
        if contact is None:
            return
        form.set_status("Saving to the CRM…")
        # One key per contact, kept across retries, so the CRM stores the interaction once.
        key = self.idempotency_keys.setdefault(contact_id, f"wrap-up-{contact_id}-{uuid4()}")
        try:
            customer_id = await self._customer_id_for(contact)
            interaction = await self.backends.crm.log_interaction(
                InteractionCreate(
                    customer_id=customer_id,
                    contact_id=contact.id,
                    channel=contact.channel,
                    agent_id=self.backends.contact_center.agent_id,
                    queue_id=contact.queue_id,
                    offered_at=contact.offered_at,
                    answered_at=contact.answered_at,
                    ended_at=contact.ended_at,
                    disposition=disposition,
                    notes=notes,
                ),
                key,
            )
            completed = await self.backends.contact_center.complete_contact(contact_id, disposition)
        except BackendError as error:
            form.set_status(f"Not saved: {error.message}. Your notes are kept; ctrl+s retries.", "bold $error")
            return
        self.idempotency_keys.pop(contact_id, None)
        self.pops.pop(contact_id, None)
        form.forget(contact_id)
        self._apply_contact(completed)
        self.notify(f"Saved to the CRM as {interaction.id}.", title="Wrap-up")
        self._focus_now("#contacts")

    async def _customer_id_for(self, contact: Contact) -> str:
        pop = self.pops.get(contact.id)
        if pop is not None and pop.record is not None:
            return pop.record.customer.id
        if contact.id in self.created_customers:
            return self.created_customers[contact.id]
        address = contact.from_address
        found = await self.backends.crm.lookup(address)
        if found.customers:
            customer_id = found.customers[0].id
        else:
            is_email = "@" in address
            customer = await self.backends.crm.create_customer(
                f"New caller {address}", [] if is_email else [address], [address] if is_email else []
            )
            customer_id = customer.id
        self.created_customers[contact.id] = customer_id
        return customer_id
