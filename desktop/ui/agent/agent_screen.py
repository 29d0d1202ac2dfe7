"""The agent's work view: it draws the desk (desktop/desk) and turns keys into the controller's use cases.

The desk holds the state and the rules, the controller talks to the backends; the screen only draws. It is
one screen made of parts that each own theirs: the offer over whatever is open (agent_offers.py), the panes
for the terminal's size (agent_layout.py), the conversation workspace (agent_conversations.py) and the
dialogs (agent_dialogs.py); the screen routes keys and widgets' messages to them (a key's part, the controller's
use cases or the dialogs, is named in the table of commands: `Command.by`).
Stream events are applied by the controller in the turn they are parsed; the screen gets one coalesced
`DeskChanged` per burst and touches only the widgets whose data changed (`Desk.take_changes`). The keys
that apply come from the desk's one table of commands; the footer draws the keys that apply on one line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header

from desktop.conversations.quick_responses import QuickResponse
from desktop.desk.commands import COMMANDS, Command, Where, command_named, enabled, why_not
from desktop.desk.contacts import Phase
from desktop.desk.controller import DeskController
from desktop.durations import format_duration
from desktop.desk.focus_rules import short_pop
from desktop.ui import input_log
from desktop.ui.command_bindings import desk_bindings
from desktop.ui.messages import OutboxChanged
from desktop.ui.plain_text import literal_title, plain
from desktop.ui.agent.agent_conversations import ConversationWorkspace
from desktop.ui.agent.agent_dialogs import AgentDialogs
from desktop.ui.agent.agent_layout import PaneLayout
from desktop.ui.agent.agent_offers import OffersAbove
from desktop.ui.agent.agent_status import AgentStatus
from desktop.ui.agent.composer import Composer
from desktop.ui.agent.contact_detail import ContactDetail
from desktop.ui.agent.contact_list import ContactList
from desktop.ui.agent.conversation_pane import ConversationPane
from desktop.ui.agent.customer_card import CustomerCard
from desktop.ui.agent.experts_panel import ExpertsPanel
from desktop.ui.shared.footer import KeyFooter
from desktop.ui.agent.new_caller_form import NewCallerForm
from desktop.ui.agent.offer_card import OfferCard
from desktop.ui.agent.outbox_status import OutboxStatus
from desktop.ui.shared.transcript_view import TranscriptView
from desktop.ui.agent.wrap_up_form import WrapUpForm
from desktop.ui.agent.write_on_accept import WriteOnAccept

if TYPE_CHECKING:
    from desktop.ui.agent.dialogs.transfer_dialog import TransferMode

def offer_title(offer, replaced) -> str:
    """The offer card's title: it says when the caller changed under it (the first one hung up)."""
    if offer is not None and replaced is not None:
        return f"Offer · changed: {replaced.contact.from_address} hung up or was taken"
    return "Offer"


STATUS_STYLES = {"information": "dim", "warning": "bold $warning", "error": "bold $error"}


class DeskChanged(Message):
    """The desk changed; one pending redraw covers any number of events."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DeskChanged)


class AgentScreen(Screen):
    CSS_PATH = "agent_screen.tcss"
    BINDINGS = desk_bindings()

    def __init__(
        self,
        controller: DeskController,
        clock: Callable[[], datetime],
        *,
        quick_responses: list[QuickResponse] | None = None,
        status_clock_s: float = 0.5,
    ) -> None:
        """`controller`: the agent's session's (desktop/desk/session.py), set up and closed by the app;
        `status_clock_s`: how often the clock, the offer's and the wrap-up's countdowns are redrawn."""
        super().__init__()
        self.controller = controller
        self.desk = controller.desk
        controller.changed = self._desk_changed
        self.clock = clock
        self.status_clock_s = status_clock_s
        self.offers = OffersAbove(self, self.desk, answered=self._offer_answered, last_key_at=lambda: self.app.last_key_at)
        self.panes = PaneLayout(
            self, self.desk, conversation_moved=lambda: self.conversations.show(), keys_changed=self.update_keys,
            focus_contacts=lambda: self.focus_now("#contacts"),
        )  # fmt: skip
        self.conversations = ConversationWorkspace(self, controller, quick_responses or [])
        self.dialogs = AgentDialogs(self, controller)
        self.write_on_accept = WriteOnAccept(self, self.desk)
        self._redraw_pending = False
        self._keys: tuple[object, dict[str, bool]] | None = None  # (what they were computed for, enabled)
        self._shown_card: tuple[object, ...] | None = None
        self._names: dict[str, str] = {}  # the callers' names the contacts list shows
        self._shown_wrap_up: tuple[object, ...] | None = None
        # False for the app's first screen, composed and shown at once (AgentDesktopApp.get_default_screen).
        self.restyle_at_first_resume = True
        self._resumed = False

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield AgentStatus(id="agent-status")
        with Vertical(id="work"):
            yield OfferCard(id="offer")
            yield ContactList(self.desk.sla_target, id="contacts")
            yield ContactDetail(self.desk.capabilities, sla_target=self.desk.sla_target, id="contact-detail")
        yield CustomerCard(self.desk.crm_capabilities, id="customer")
        yield WrapUpForm(id="wrap-up", rule_of=self.desk.wrap_up_rule, clock=self.clock)
        yield ExpertsPanel(self.desk.directory, id="experts")
        yield ConversationPane(id="conversation")  # in the experts' place while a conversation is selected
        yield KeyFooter(first={command.name for command in COMMANDS if command.first})

    def on_mount(self) -> None:
        self.query_one("#offer").border_title = "Offer"
        self.query_one("#contacts").border_title = "My contacts"
        self.query_one("#contact-detail").border_title = "Selected contact"
        self.title = "Agent desktop"
        if self.desk.agent is not None:  # known before the stream (start-up's access check): in the first frame
            self.redraw()
        self.tick()
        self.set_interval(self.status_clock_s, self.tick)
        self.follow(self.controller.follow_contact_center, "ccaas-stream")
        self.follow(self.controller.follow_presence, "presence-stream")
        self.controller.outbox_written()  # the app's sender: send what is due, and show the counts
        self.query_one(ContactList).focus()
        if input_log.LOGGING:  # where the focus goes, beside the keys (a key that found no binding)
            self.watch(self, "focused", lambda widget: input_log.log_input("focus", f"{widget!r} by {input_log.callers()}"), init=False)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The app's first screen is drawn with the styles its widgets got at their mount a moment before: Textual
        restyles the whole screen at every resume (~17 ms of CPU before the first frame, 3 % of start-up), which
        that first one needs not, nothing app-wide having changed since. Every later resume (back from a dialog,
        f2), and the first of a desk installed to be shown later, still restyles."""
        if not self._resumed:
            self._resumed = True
            if not self.restyle_at_first_resume:
                event.refresh_styles = False

    def tick(self) -> None:
        try:
            self._tick(self.clock())
        except NoMatches:
            pass  # the app is closing: the screen's widgets are removed before its timer stops

    def _tick(self, now: datetime) -> None:
        self.query_one(AgentStatus).now = now
        self.query_one(OfferCard).now = now
        self.offers.tick(now)
        detail = self.query_one(ContactDetail)
        detail.conversation = self.desk.selected_conversation()  # may be loaded after the contact was selected
        detail.now = now
        if self.desk.held:
            self.query_one(ContactList).refresh_times(self._contacts(), now)
        self._show_acw_countdown(now)
        self.query_one(WrapUpForm).tick(now, held.contact if (held := self.desk.wrap_up()) else None)
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
        if input_log.LOGGING:
            input_log.log_input("redraw", f"{changes!r} classes {sorted(self.classes)}")
        self._set_layout_classes()
        if changes.agent and desk.agent is not None:
            self.query_one(AgentStatus).agent = desk.agent
            self.query_one(OfferCard).agent_state = desk.agent.state
            self.sub_title = literal_title(desk.agent.name)
        if changes.links:
            self.query_one(AgentStatus).links = dict(desk.links)
        if changes.offer:
            card = self.query_one(OfferCard)
            card.offer = desk.offer
            card.border_title = literal_title(offer_title(desk.offer, desk.replaced_offer))
        if changes.offer or changes.agent:
            self.offers.show()
        if changes.ring:
            self.app.bell()
        names = self._caller_names()
        renamed = {cid for cid in names.keys() | self._names.keys() if names.get(cid) != self._names.get(cid)}
        if changes.contacts or changes.selection or renamed:
            self._names = names
            self.query_one(ContactList).show(
                self._contacts(), self.clock(), desk.selected_id, changes.contacts | renamed, desk.conversations, names
            )
            self.query_one(ContactDetail).contact = desk.selected_contact()
        if changes.selection or (desk.selected_id is not None and desk.selected_id in changes.conversations):
            self.conversations.show()
            detail = self.query_one(ContactDetail)
            detail.conversation = desk.selected_conversation()
            detail.refresh()  # the same conversation, changed: whose turn it is may be new
        self._show_card()
        if changes.wrap_up or changes.queues:
            self._show_wrap_up()
        for notice in changes.notices:
            self.notify(plain(notice.text), title=literal_title(notice.title), severity=notice.severity, timeout=notice.timeout)
        self.query_one(ExpertsPanel).directory_changed()
        self.write_on_accept.desk_changed()
        self.update_keys()
        if self.controller.collector.paused:  # a screen pop: the collector runs again once this is on screen,
            # after the card's own callbacks for that frame (each widget's queue hands them over to the screen)
            self.query_one(CustomerCard).call_after_refresh(self.controller.collector.resume)

    def _set_layout_classes(self) -> None:
        """The screen's classes that follow the desk (contacts in hand, a conversation shown, the pane shown),
        first and in one restyle: each class changed alone restyles every widget on the screen (~30 ms at
        120×40, three on accepting a chat), and what is drawn next may ask what is shown."""
        desk, before = self.desk, set(self.classes)
        self.set_class(bool(desk.held), "-in-hand", update=False)
        conversation_shown = desk.selected_conversation() is not None and not self.panes.experts_over_conversation
        self.set_class(conversation_shown, "-conversation", update=False)
        self.panes.arrange(restyle=False)
        if set(self.classes) != before:
            self.update_node_styles()
        self.panes.keep_focus_in_sight()

    def _contacts(self) -> list:
        return [held.contact for held in self.desk.held.values()]

    def _caller_names(self) -> dict[str, str]:
        """The name the CRM found for each contact in hand, by contact id."""
        lookups = self.desk.lookups
        return {
            cid: lookup.record.customer.name
            for cid in self.desk.held
            if (lookup := lookups.get(cid)) is not None and lookup.record is not None and lookup.record.customer.name
        }

    def _show_card(self) -> None:
        self._show_offer_caller()
        contact_id = self.desk.popped_contact_id()
        lookup = self.desk.popped_lookup()
        # Redraw only when what the card shows changes: a redraw rebuilds the history table and would throw
        # away where the agent had scrolled to.
        shown = (
            contact_id, id(lookup),
            lookup and (lookup.done, lookup.error, id(lookup.record), lookup.match_count, len(lookup.candidates),
                        lookup.waiting),
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
        elif lookup.waiting:
            card.show_message(lookup.waiting)
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
        self.offers.show_caller(caller)

    def _show_wrap_up(self) -> None:
        """Open the form only when the contact it shows changes (or its queue's dispositions arrive)."""
        form = self.query_one(WrapUpForm)
        held = self.desk.wrap_up()
        queue = self.desk.queues.get(held.contact.queue_id) if held else None
        shown = (held.id if held else None, tuple(queue.dispositions) if queue else None)
        if shown != self._shown_wrap_up:
            if input_log.LOGGING:
                input_log.log_input("wrap-up", f"opened on {shown[0]} (was {self._shown_wrap_up and self._shown_wrap_up[0]})")
            self._shown_wrap_up = shown
            form.open(held.contact if held else None, queue, self.desk.wrap_ups.get(held.id) if held else None)
        status = self.desk.wrap_ups.status.get(held.id) if held else None
        if status is not None:
            form.set_status(status[0], STATUS_STYLES[status[1]])

    def _show_acw_countdown(self, now: datetime) -> None:
        held = self.desk.wrap_up()
        countdown_text = ""  # plain text: the border gets it through literal_title
        if held is not None and held.phase is Phase.TIMED_OUT:
            countdown_text = "closed by timeout — not saved yet"
        elif held is not None and held.contact.acw_deadline is not None:
            left = max(0, int((held.contact.acw_deadline - now).total_seconds()))
            countdown_text = f"closes in {format_duration(left, 'short')}"
        form = self.query_one(WrapUpForm)
        if getattr(form.border_subtitle, "plain", form.border_subtitle) != countdown_text:
            form.border_subtitle = literal_title(countdown_text)

    # --- keys: from the desk's table of commands ----------------------------------------

    def _enabled(self) -> dict[str, bool]:
        focused_id = self.focused.id if self.focused is not None else None
        where = Where(experts_list=focused_id == "expert-table", composer=focused_id == "composer", one_pane=self.panes.one_pane)
        basis = (self.desk.version, where)
        if self._keys is None or self._keys[0] != basis:
            self._keys = (basis, enabled(self.desk, where))
        return self._keys[1]

    def update_keys(self) -> None:
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
        self.controller.wrap_up.keep_draft(message.contact_id, message.draft)

    @on(WrapUpForm.Submitted)
    def _wrap_up_submitted(self, message: WrapUpForm.Submitted) -> None:
        self.save_wrap_up(message.contact_id, message.disposition, message.notes)

    @work(group="wrap-up", exclusive=True)
    async def save_wrap_up(self, contact_id: str, disposition: str, notes: str) -> None:
        await self.controller.wrap_up.save_wrap_up(contact_id, disposition, notes)

    @on(OutboxChanged)
    def _on_outbox_changed(self, message: OutboxChanged) -> None:
        self.query_one(OutboxStatus).counts = message.counts
        # The sender wrote something: a case on the card that was "sending…" gets its id.
        self.run_use_case(self.controller.caller.cases_written())

    def on_resize(self, event: events.Resize) -> None:
        self.panes.resize(event.size)

    @on(TranscriptView.ReachedEnd)
    def _transcript_at_end(self, message: TranscriptView.ReachedEnd) -> None:
        self.conversations.reached_end(message.contact_id)

    @on(TranscriptView.NeedOlder)
    def _need_older(self, message: TranscriptView.NeedOlder) -> None:
        self.run_use_case(self.controller.conversation.load_older(message.contact_id))

    @on(Composer.Edited)
    def _composer_edited(self, message: Composer.Edited) -> None:
        self.conversations.edited(message)

    @on(Composer.Submitted)
    def _composer_submitted(self, message: Composer.Submitted) -> None:
        self.conversations.submitted(message)

    @on(ExpertsPanel.ExpertChosen)
    def _expert_chosen(self, message: ExpertsPanel.ExpertChosen) -> None:
        self.dialogs.expert_actions(message.expert)

    @on(ExpertsPanel.MessageRequested)
    def _expert_message_requested(self, message: ExpertsPanel.MessageRequested) -> None:
        self.dialogs.escalate(message.expert)

    @on(ExpertsPanel.TransferRequested)
    def _expert_transfer_requested(self, message: ExpertsPanel.TransferRequested) -> None:
        self.dialogs.transfer_to_expert(message.expert, message.mode)

    @on(ExpertsPanel.SearchChanged)
    def _experts_search(self, message: ExpertsPanel.SearchChanged) -> None:
        self.dialogs.search_experts(message.query, message.skill)

    @on(NewCallerForm.Create)
    def _new_caller_form_submitted(self, message: NewCallerForm.Create) -> None:
        self.dialogs.create_customer(message.customer)

    @on(CustomerCard.TranscriptWanted)
    def _transcript_wanted(self, message: CustomerCard.TranscriptWanted) -> None:
        self.dialogs.open_transcript(message.interaction.id)

    def _offer_answered(self, action: str) -> None:
        """The agent answered the offer on its dialog: as the same key on the desk."""
        getattr(self, f"action_{action}")()  # accept, reject or go_available

    def start_transfer(self, target, mode: TransferMode = "blind") -> None:
        self.dialogs.start_transfer(target, mode)

    # --- keys that act on the desk alone ------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        # A key no widget took, before the app runs the desk's bindings: held for the composer of a chat just
        # accepted (a greeting typed at once is not the desk's h, e, y).
        if self.write_on_accept.hold(event):
            event.stop()
            event.prevent_default()

    def action_accept(self) -> None:
        self.write_on_accept.accepting()
        self._accept()

    @work(group="actions")
    async def _accept(self) -> None:
        await self.controller.accept()
        self.write_on_accept.accept_failed()  # (nothing to do if the contact is in hand)

    def action_next_contact(self) -> None:
        self.desk.step_selection(1)
        self.redraw()

    def action_previous_contact(self) -> None:
        self.desk.step_selection(-1)
        self.redraw()

    def focus_now(self, selector: str) -> None:
        """Move focus now, not after a deferred callback (`Widget.focus`): keys typed right behind this
        one, by a fast typist or on a busy machine, must land where it sent them."""
        self.set_focus(self.query_one(selector))

    def action_wrap_up(self) -> None:
        if self.desk.wrap_up() is not None:
            self.panes.show_pane("wrap-up")
            self.focus_now("#disposition")

    def action_submit_wrap_up(self) -> None:
        # The keys after ctrl+s are the desk's at once (`n` for a break), moved there in this very key's turn:
        # left in the notes while the save ran, they were typed into a form about to close, and lost (issue 43).
        # A save that fails says so on the form, and ctrl+s (a priority key) retries from anywhere.
        if self.query_one(WrapUpForm).submit():
            self.focus_now("#contacts")

    def action_pick_disposition(self) -> None:
        self.query_one(WrapUpForm).pick_disposition()

    def action_focus_contacts(self) -> None:
        self.focus_now("#contacts")

    def action_customer_tab(self, number: int) -> None:
        self.panes.show_pane("card")
        self.query_one(CustomerCard).show_tab(number, focus=True)

    # --- keys of the conversation workspace -------------------------------------------

    def action_find_expert(self) -> None:
        self.panes.show_pane("experts")
        self.focus_now("#expert-search")

    def action_reply(self) -> None:
        self.conversations.reply()

    def action_send_reply(self) -> None:
        """The composer's Enter, from the palette (the key itself reaches the composer first)."""
        self.query_one(ConversationPane).composer.submit()

    def action_new_line(self) -> None:
        self.query_one(ConversationPane).composer.action_new_line()

    def action_note_mode(self) -> None:
        self.conversations.toggle_note_mode()

    def action_older_messages(self) -> None:
        self.conversations.load_older()

    def action_transcript_page(self, step: int) -> None:
        self.conversations.transcript_page(step)

    def action_leave_composer(self) -> None:
        self.focus_now("#contacts")

    def action_quick_responses(self) -> None:
        self.conversations.open_quick_responses()

    def action_next_pane(self) -> None:
        self.panes.next_pane()


def _carried_out(command: Command) -> Callable[[AgentScreen], None]:
    """The screen's action for a command the table gives to the controller (a use case, run as a worker) or to
    the dialogs (a flow that asks the agent first)."""
    name = command.name
    if command.by == "controller":

        def action(screen: AgentScreen) -> None:
            screen.run_use_case(getattr(screen.controller, name)())

    else:

        def action(screen: AgentScreen) -> None:
            getattr(screen.dialogs, name)()

    action.__name__ = action.__qualname__ = f"action_{name}"
    action.__doc__ = command.description
    return action


# The keys that the table gives to the controller or the dialogs, each an action of the screen's (what Textual
# runs for a binding or the palette), made here from the table rather than written out one by one.
for _command in COMMANDS:
    if _command.by != "screen":
        assert f"action_{_command.name}" not in vars(AgentScreen), f"{_command.name}: the table gives it to {_command.by}"
        setattr(AgentScreen, f"action_{_command.name}", _carried_out(_command))
