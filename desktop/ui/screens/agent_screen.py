"""The agent's work view: it draws the desk (desktop/desk) and turns keys into the controller's use cases.

The desk holds the state and the rules, the controller talks to the backends; the screen only draws.
Stream events are applied by the controller in the turn they are parsed; the screen gets one coalesced
`DeskChanged` per burst and touches only the widgets whose data changed (`Desk.take_changes`). The keys
that apply come from the desk's one table of commands; the footer toggles fixed keys, never recomposes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import DataTable, Header

from desktop.backends.capabilities import contact_center_capabilities, crm_capabilities
from desktop.backends.container import Backends
from desktop.desk.commands import Where, command_named, enabled, why_not
from desktop.desk.contacts import IN_HAND, Phase
from desktop.desk.controller import DeskController
from desktop.desk.desk import Desk
from desktop.desk.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from desktop.desk.drafts import DraftStore, drafts_path_beside
from desktop.ui.command_bindings import desk_bindings
from desktop.screen_pop_focus import short_pop
from desktop.ui.messages import OutboxChanged
from desktop.ui.plain_text import literal_title, plain
from desktop.ui.screens.agent_conversations import AgentConversations
from desktop.ui.widgets.agent_status import AgentStatus
from desktop.ui.widgets.contact_detail import ContactDetail
from desktop.ui.widgets.contact_list import ContactList
from desktop.ui.widgets.conversation_pane import ConversationPane
from desktop.ui.widgets.customer_card import CustomerCard
from desktop.ui.widgets.experts_panel import ExpertsPanel
from desktop.ui.widgets.footer import KeyFooter
from desktop.ui.widgets.offer_card import OfferCard
from desktop.ui.widgets.outbox_status import OutboxStatus
from desktop.ui.widgets.wrap_up_form import WrapUpForm

STATUS_STYLES = {"information": "dim", "warning": "bold $warning", "error": "bold $error"}


class DeskChanged(Message):
    """The desk changed; one pending redraw covers any number of events."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DeskChanged)


class AgentScreen(AgentConversations):
    CSS_PATH = "agent_screen.tcss"
    BINDINGS = desk_bindings()

    def __init__(
        self,
        backends: Backends,
        clock: Callable[[], datetime],
        *,
        outbox_written: Callable[[], None] = lambda: None,
        status_clock_s: float = 0.5,
    ) -> None:
        """`status_clock_s`: how often the clock, the offer's and the wrap-up's countdowns are redrawn."""
        super().__init__()
        self.backends = backends
        self.clock = clock
        self.status_clock_s = status_clock_s
        self.outbox = backends.outbox
        self.drafts = DraftStore(drafts_path_beside(backends.outbox.path))
        self.conversation_drafts = ConversationDraftStore(conversation_drafts_path_beside(backends.outbox.path))
        composer_drafts, notes = self.conversation_drafts.load()
        self.desk = Desk(
            backends.contact_center.agent_id, self.drafts.load(), composer_drafts, notes,
            capabilities=contact_center_capabilities(backends.contact_center),
            crm_capabilities=crm_capabilities(backends.crm),
        )  # fmt: skip
        self.controller = DeskController(
            self.desk, backends.contact_center, backends.crm, backends.presence, backends.outbox,
            drafts=self.drafts, conversation_drafts=self.conversation_drafts, now=clock,
            changed=self._desk_changed, outbox_written=outbox_written,
        )  # fmt: skip
        self._redraw_pending = False
        self._keys: tuple[object, dict[str, bool]] | None = None  # (what they were computed for, enabled)
        self._shown_card: tuple[object, ...] | None = None
        self._shown_wrap_up: tuple[object, ...] | None = None

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield AgentStatus(id="agent-status")
        with Vertical(id="work"):
            yield OfferCard(id="offer")
            yield ContactList(id="contacts")
            yield ContactDetail(self.desk.capabilities, id="contact-detail")
        yield CustomerCard(self.desk.crm_capabilities, id="customer")
        yield WrapUpForm(id="wrap-up")
        yield ExpertsPanel(self.desk.directory, id="experts")
        yield ConversationPane(id="conversation")  # in the experts' place while a conversation is selected
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#offer").border_title = "Offer"
        self.query_one("#contacts").border_title = "My contacts"
        self.query_one("#contact-detail").border_title = "Selected contact"
        self.title = "Agent desktop"
        self.tick()
        self.set_interval(self.status_clock_s, self.tick)
        self.follow(self.controller.follow_contact_center, "ccaas-stream")
        self.follow(self.controller.follow_presence, "presence-stream")
        self.controller.outbox_written()  # the app's sender: send what is due, and show the counts
        self.query_one(ContactList).focus()

    async def on_unmount(self) -> None:
        await self.controller.aclose()
        self.drafts.close()
        self.conversation_drafts.close()

    def contacts_in_hand(self) -> int:
        """How many contacts the agent holds (the app asks before quitting with any)."""
        return sum(1 for held in self.desk.held.values() if held.contact.state in IN_HAND)

    def tick(self) -> None:
        now = self.clock()
        try:
            status = self.query_one(AgentStatus)
        except NoMatches:  # the app is quitting: the screen's widgets went before its clock stopped
            return
        status.now = now
        self.query_one(OfferCard).now = now
        self.offer_dialog_tick(now)
        detail = self.query_one(ContactDetail)
        detail.conversation = self.desk.selected_conversation()  # may be loaded after the contact was selected
        detail.now = now
        if self.desk.held:
            self.query_one(ContactList).refresh_times(self._contacts(), now)
        self._show_acw_countdown(now)
        pane = self.query_one(ConversationPane)
        if pane.display:
            pane.tick(self.desk.selected_contact(), self.desk.selected_conversation(), now)

    # --- workers: the controller's loops and use cases ----------------------------------

    def follow(self, loop: Callable[[], Awaitable[None]], group: str) -> None:
        self.run_worker(loop(), group=group, exclusive=True)

    @work(group="actions")
    async def run_use_case(self, use_case: Awaitable[object]) -> None:
        await use_case  # the controller turns a backend's refusal into a notice

    # --- drawing the desk ---------------------------------------------------------

    def _desk_changed(self) -> None:
        if not self._redraw_pending:
            self._redraw_pending = True
            self.post_message(DeskChanged())

    def on_desk_changed(self, _: DeskChanged) -> None:
        self._redraw_pending = False
        self.redraw()

    def redraw(self) -> None:
        """Draw what changed since the last redraw, and nothing else."""
        if not self.is_attached:
            return
        desk = self.desk
        changes = desk.take_changes()
        if changes.agent and desk.agent is not None:
            self.query_one(AgentStatus).agent = desk.agent
            self.query_one(OfferCard).agent_state = desk.agent.state
            self.sub_title = literal_title(desk.agent.name)
        if changes.links:
            self.query_one(AgentStatus).links = dict(desk.links)
        if changes.offer:
            self.query_one(OfferCard).offer = desk.offer
        if changes.offer or changes.agent:
            self.show_offer_above()
        if changes.ring:
            self.app.bell()
        if changes.contacts or changes.selection:
            self.query_one(ContactList).show(
                self._contacts(), self.clock(), desk.selected_id, changes.contacts, desk.conversations
            )
            self.query_one(ContactDetail).contact = desk.selected_contact()
        if changes.selection or (desk.selected_id is not None and desk.selected_id in changes.conversations):
            self._show_conversation()
            detail = self.query_one(ContactDetail)
            detail.conversation = desk.selected_conversation()
            detail.refresh()  # the same conversation, changed: whose turn it is may be new
        self._show_card()
        if changes.wrap_up or changes.queues:
            self._show_wrap_up()
        self.set_class(bool(desk.held), "-in-hand")
        self.arrange_panes()
        for notice in changes.notices:
            self.notify(plain(notice.text), title=literal_title(notice.title), severity=notice.severity, timeout=notice.timeout)
        self.query_one(ExpertsPanel).directory_changed()
        self._update_keys()

    def _contacts(self) -> list:
        return [held.contact for held in self.desk.held.values()]

    def _show_card(self) -> None:
        self._show_offer_caller()
        contact_id = self.desk.popped_contact_id()
        lookup = self.desk.popped_lookup()
        # Redraw only when what the card shows changes: a redraw rebuilds the history table and would throw
        # away where the agent had scrolled to.
        shown = (
            contact_id, id(lookup),
            lookup and (lookup.done, lookup.error, id(lookup.record), lookup.match_count, len(lookup.candidates)),
        )  # fmt: skip
        if shown == self._shown_card:
            return
        self._shown_card = shown
        card = self.query_one(CustomerCard)
        if lookup is None:
            card.show_message("The caller's record appears here when a contact is offered.")
        elif lookup.error:
            card.show_message(f"CRM lookup failed: {lookup.error}")
        elif lookup.record is not None:
            card.show_record(lookup.record, lookup.match_count)
        elif lookup.candidates:
            card.show_choices(lookup.candidates, lookup.matched_on)
        elif lookup.withheld:
            card.show_withheld()
        elif lookup.done:
            card.show_new_caller(lookup.address)
        else:
            card.show_searching(lookup.address)

    def _show_offer_caller(self) -> None:
        """The offered contact's caller, in one line on the offer card."""
        offer = self.desk.offer
        lookup = self.desk.lookups.get(offer.contact.id) if offer else None
        caller = None
        if lookup is not None:
            caller = short_pop(
                record=lookup.record, candidates=len(lookup.candidates), done=lookup.done, error=lookup.error,
                withheld=lookup.withheld,
            )  # fmt: skip
        card = self.query_one(OfferCard)
        if card.caller != caller:
            card.caller = caller
        if self._offer_dialog is not None:
            self._offer_dialog.show_caller(caller)

    def _show_wrap_up(self) -> None:
        """Open the form only when the contact it shows changes (or its queue's dispositions arrive)."""
        form = self.query_one(WrapUpForm)
        held = self.desk.wrap_up()
        queue = self.desk.queues.get(held.contact.queue_id) if held else None
        shown = (held.id if held else None, id(queue))
        if shown != self._shown_wrap_up:
            self._shown_wrap_up = shown
            form.open(held.contact if held else None, queue, self.desk.drafts.get(held.id) if held else None)
        status = self.desk.wrap_up_status.get(held.id) if held else None
        if status is not None:
            form.set_status(status[0], STATUS_STYLES[status[1]])

    def _show_acw_countdown(self, now: datetime) -> None:
        held = self.desk.wrap_up()
        countdown_text = ""  # plain text: the border gets it through literal_title
        if held is not None and held.phase is Phase.TIMED_OUT:
            countdown_text = "closed by timeout — not saved yet"
        elif held is not None and held.contact.acw_deadline is not None:
            left = max(0, int((held.contact.acw_deadline - now).total_seconds()))
            countdown_text = f"closes in {left // 60}:{left % 60:02d}"
        form = self.query_one(WrapUpForm)
        if getattr(form.border_subtitle, "plain", form.border_subtitle) != countdown_text:
            form.border_subtitle = literal_title(countdown_text)

    # --- keys: from the desk's table of commands ----------------------------------------

    def _enabled(self) -> dict[str, bool]:
        focused_id = self.focused.id if self.focused is not None else None
        where = Where(experts_list=focused_id == "expert-table", composer=focused_id == "composer", one_pane=self.one_pane)
        basis = (self.desk.version, where)
        if self._keys is None or self._keys[0] != basis:
            self._keys = (basis, enabled(self.desk, where))
        return self._keys[1]

    def _update_keys(self) -> None:
        """Tell the footer only when what the agent can do has changed."""
        before = self._keys[1] if self._keys else None
        if self._enabled() != before:
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if command_named(action) is None:
            return True
        return self._enabled()[action]  # False: left out of the footer and the palette until it applies

    def why_not(self, action: str) -> str | None:
        """When a command that does not apply now would (the help screen, a key pressed in vain)."""
        return why_not(action, self.desk)

    # --- widgets' messages ----------------------------------------------------------

    @on(DataTable.RowHighlighted, "#contacts")
    def _contact_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None:
            return  # a cursor key on the empty list (Textual 8.2 highlights row -1 with no key)
        contact_id = event.row_key.value
        if contact_id == self.query_one(ContactList).highlighted_id():  # not a message the list has moved past
            self.desk.select(contact_id)
            self.redraw()

    @on(WrapUpForm.DraftChanged)
    def _draft_changed(self, message: WrapUpForm.DraftChanged) -> None:
        self.controller.keep_draft(message.contact_id, message.draft)

    @on(WrapUpForm.Submitted)
    def _wrap_up_submitted(self, message: WrapUpForm.Submitted) -> None:
        self.save_wrap_up(message.contact_id, message.disposition, message.notes)

    @work(group="wrap-up", exclusive=True)
    async def save_wrap_up(self, contact_id: str, disposition: str, notes: str) -> None:
        if await self.controller.save_wrap_up(contact_id, disposition, notes) is not None:
            self._focus_now("#contacts")

    @on(OutboxChanged)
    def _on_outbox_changed(self, message: OutboxChanged) -> None:
        self.query_one(OutboxStatus).counts = message.counts

    # --- keys that act on the desk alone ------------------------------------------------

    def action_next_contact(self) -> None:
        self.desk.step_selection(1)
        self.redraw()

    def action_previous_contact(self) -> None:
        self.desk.step_selection(-1)
        self.redraw()

    def _focus_now(self, selector: str) -> None:
        """Move focus now, not after a deferred callback (`Widget.focus`): keys typed right behind this
        one, by a fast typist or on a busy machine, must land where it sent them."""
        self.set_focus(self.query_one(selector))

    def action_wrap_up(self) -> None:
        if self.desk.wrap_up() is not None:
            self.show_pane("wrap-up")
            self._focus_now("#disposition")

    def action_submit_wrap_up(self) -> None:
        self.query_one(WrapUpForm).submit()

    def action_focus_contacts(self) -> None:
        self._focus_now("#contacts")

    def action_customer_tab(self, number: int) -> None:
        self.show_pane("card")
        self.query_one(CustomerCard).show_tab(number, focus=True)

    # --- keys that call the contact center --------------------------------------------

    def action_go_available(self) -> None:
        self.run_use_case(self.controller.go_available())

    def action_accept(self) -> None:
        self.run_use_case(self.controller.accept())

    def action_reject(self) -> None:
        self.run_use_case(self.controller.reject())

    def action_end_contact(self) -> None:
        self.end_unless_customer_waits()  # agent_dialogs.py: asks first when the customer wrote last

    def action_hold(self) -> None:
        self.run_use_case(self.controller.hold())

    def action_resume(self) -> None:
        self.run_use_case(self.controller.resume())

    def action_complete_consult(self) -> None:
        self.run_use_case(self.controller.complete_consult())

    def action_cancel_consult(self) -> None:
        self.run_use_case(self.controller.cancel_consult())
