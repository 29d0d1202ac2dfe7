"""The agent screen's body: its areas, one widget each, laid out for the terminal and drawn from the desk.

The status line, the offer (agent_offers.py), the contacts (desk_contacts.py) and the selected one, the caller's
card (desk_card.py), the wrap-up (desk_wrap_up.py), the experts (desk_experts.py) and the conversation
(agent_conversations.py) each draw themselves from the desk; the screen hands this what changed (`draw`), and
this hands each area what it draws (attributes down). The panes shown for the terminal's size and the desk are
this widget's classes (agent_layout.py, agent_screen.tcss); the clock is its `now`, bound to the areas that
count time. What is the screen's own (its keys, the dialogs, notices) stays on the screen (agent_screen.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Header

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.commands import COMMANDS
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.conversations.sla_breaches import BreachWatch, held_clocks
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.recording_pauses import tell_long_pauses
from agent_desktop.ui.agent.agent_dialogs import AgentDialogs
from agent_desktop.ui.agent.agent_layout import PaneLayout
from agent_desktop.ui.agent.agent_status import AgentStatus
from agent_desktop.ui.agent.broadcast_banner import BroadcastBanner
from agent_desktop.ui.agent.callers.desk_card import DeskCard
from agent_desktop.ui.agent.contacts.contact_detail import ContactDetail
from agent_desktop.ui.agent.contacts.desk_contacts import DeskContacts
from agent_desktop.ui.agent.conversations.agent_conversations import DeskConversation
from agent_desktop.ui.agent.conversations.desk_call import DeskCall
from agent_desktop.ui.agent.experts.desk_experts import DeskExperts
from agent_desktop.ui.agent.offers.agent_offers import DeskOffer, OfferFront
from agent_desktop.ui.agent.wrap_up.desk_wrap_up import DeskWrapUp
from agent_desktop.ui.notices.desktop_notifier import breach_words, notifier_of
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.writing_aids.quick_responses import QuickResponse

if TYPE_CHECKING:
    from agent_desktop.ui.agent.reader_log import ReaderLog


class AreasFront(OfferFront, Protocol):
    """What is open over the desk, as the areas see it (front_of_desk.py's FrontOfDesk): the offer card's, and the
    wrap-up drawn, which takes the cursor if the agent's `e` ended it (rule 8: the attention model's to say)."""

    def wrap_up_drawn(self, contact_id: str | None, take_cursor: Callable[[], object]) -> None: ...


def field_about(desk: Desk) -> Callable[[Widget], str | None]:
    """The contact a text box of the desk's areas is about: the caller's card's (the new customer's form) is the
    caller's it shows."""

    def about(widget: Widget) -> str | None:
        on_card = any(isinstance(node, DeskCard) for node in widget.ancestors_with_self)
        return desk.popped_contact_id() if on_card else None

    return about


class AgentAreas(Widget):
    now: var[datetime | None] = var(None)  # the desk's clock, bound to the areas that count time (data_bind)

    def __init__(
        self,
        controller: DeskController,
        dialogs: AgentDialogs,
        clock: Callable[[], datetime],
        front: AreasFront,
        answer_offer: Callable[[str], None],
        quick_responses: list[QuickResponse],
        clock_s: float,
    ) -> None:
        """`clock_s`: how often the clock, the offer's and the wrap-up's countdowns are redrawn; `front` and
        `answer_offer`: the screen's, which the offer card is built with (agent_offers.py). In the app's reader
        mode (docs/accessibility.md) a review region comes under the areas."""
        super().__init__(id="areas")
        desk = self.desk = controller.desk
        self.panes = PaneLayout(desk, focus_contacts=self.focus_contacts)
        # The pane wanted now, as a class the areas are created with: set on the first redraw instead, it
        # restyled the whole screen just after the first frame.
        self.add_class(self.panes.initial_class())
        self.clock, self.clock_s = clock, clock_s
        self.status_line = AgentStatus(desk.capabilities, id="agent-status")
        self.status_line.sound = (desk.softphone.link, desk.softphone.link_problem, desk.softphone.ringer)
        self.broadcasts = BroadcastBanner(desk.help.shown_broadcasts, id="broadcasts")
        self.front = front
        self.offer = DeskOffer(desk, clock, front, answer_offer, id="offer")
        self.contacts = DeskContacts(desk, clock, id="contacts")
        self.detail = ContactDetail(
            desk.capabilities, sla_target=desk.sla_target, acw_left_s=desk.wrap_up_deadlines.left_s, id="contact-detail"
        )
        self.card = DeskCard(dialogs, id="customer")
        self.wrap_up = DeskWrapUp(controller, id="wrap-up", rule_of=desk.wrap_up_rule, clock=clock)
        self.experts = DeskExperts(dialogs, id="experts")
        self.conversation = DeskConversation(controller, clock, quick_responses, id="conversation")
        self.call = DeskCall(desk, id="call")
        self.breaches = BreachWatch()  # each SLA breach once, for the desktop notification
        self.reader_log: ReaderLog | None = None
        if getattr(self.app, "reader", False):  # (only reader mode pays for its region and Textual's Log)
            from agent_desktop.ui.agent.reader_log import ReaderLog

            self.reader_log = ReaderLog()

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield self.status_line.data_bind(AgentAreas.now)
        with Vertical(id="work"):
            yield self.broadcasts
            yield self.offer.data_bind(AgentAreas.now)
            yield self.contacts
            yield self.detail.data_bind(AgentAreas.now)
        yield from (self.card, self.wrap_up, self.experts)
        yield self.conversation  # in the experts' place while a conversation is selected
        yield self.call  # and a call's live transcript while a call is
        if self.reader_log is not None:
            yield self.reader_log
        yield KeyFooter(first={command.name for command in COMMANDS if command.first})

    def on_mount(self) -> None:
        self.offer.border_title = "Offer"
        self.contacts.border_title = "My contacts"
        self.detail.border_title = "Selected contact"
        self.tick()
        self.set_interval(self.clock_s, self.tick)

    def tick(self) -> None:
        """The times each area shows (the status line's, the offer's and the selected contact's through `now`)."""
        if not self.contacts.is_attached:
            return  # the app is closing: the widgets are removed before the timer stops
        desk, now = self.desk, self.clock()
        self.now = now
        self.detail.conversation = desk.selected_conversation()  # may be loaded after the contact was selected
        self.contacts.tick(now)
        self.broadcasts.tick(now)
        self.wrap_up.tick(now)
        self.conversation.send_due()
        if self.conversation.display:
            self.conversation.tick(desk.selected_contact(), desk.selected_conversation(), now)
        self._tell_breaches(now)
        tell_long_pauses(desk, now)  # a call's recording left paused

    def _tell_breaches(self, now: datetime) -> None:
        """A contact whose response target passed: a desktop notification when the terminal is not in front."""
        notifier = notifier_of(self.app)
        if notifier is None or not self.desk.capabilities.sla_clocks:
            return
        for contact, clock in self.breaches.newly_breached(held_clocks(self.desk, now)):
            notifier.notify_desktop("breach", *breach_words(contact, clock))

    def draw(self, changes: DeskChanges) -> None:
        """The layout's classes first (what is drawn next may ask what is shown), then each area what changed."""
        desk = self.desk
        if changes.offer or changes.agent:
            # A state or an offer is timed from now, as the clock reads now: not a tick old (the first tick, at start,
            # read the machine's own clock before the contact center's first answer told the desk its time).
            self.now = self.clock()
        self.panes.follow_desk(self)
        if self.reader_log is not None:
            self.reader_log.draw(desk, changes)
        if changes.agent and desk.agent is not None:
            self.status_line.agent = desk.agent
            self.card.agent_names = {desk.agent.id: desk.agent.name}  # a Worker SID in the history, by name
        if changes.links:
            self.status_line.links = dict(desk.links)
            self.status_line.assistant = desk.assistant
        if changes.links or changes.selection:
            self.status_line.selected = desk.selected_id  # (its tokens, where the assistant spent any)
            self.status_line.sound = (desk.softphone.link, desk.softphone.link_problem, desk.softphone.ringer)
        self.offer.desk_changed(changes.offer, changes.agent)
        if self.contacts.desk_changed(changes):
            self.detail.contact = desk.selected_contact()
        self.detail.media = desk.softphone.media(desk.selected_id)  # (a reactive: drawn again only if it changed)
        self.detail.playing = desk.message_playing.get(desk.selected_id) if desk.selected_id is not None else None
        selected = desk.selected_id
        if changes.selection or (selected is not None and selected in changes.conversations):
            self.show_conversation()
            self.detail.conversation = desk.selected_conversation()
            self.detail.refresh()  # the same conversation, changed: whose turn it is may be new
            self.call.show_selected()
        elif selected is not None and selected in changes.calls:
            # A line heard on the selected call: its area alone (its first line gives it the experts' place). The
            # rest of the screen is left as it is: a frame renders every widget inside the box around what changed.
            self.set_class(self.panes.call_shown(), "-call")
            self.call.show_selected()
        elif selected is not None and selected in changes.suggestions:
            # A suggested reply or the articles for the customer's message: the area above the composer alone, for
            # the same reason (a conversation's redraw repaints its row and its detail on the other side too).
            self.conversation.show_selected_suggestion()
        self.card.desk_changed()
        if changes.wrap_up or changes.queues:
            focused = self.screen.focused  # before the form is redrawn: a field it takes away moves the focus
            self.wrap_up.desk_changed()
            self._leave_if_gone(self.wrap_up, desk.wrap_up() is None, focused)  # wrapped up, or the end refused
            shown = desk.wrap_up()
            self.front.wrap_up_drawn(shown.id if shown is not None else None, self.open_wrap_up)  # rule 8
        self.experts.directory_changed()
        if changes.flags or changes.selection:  # the selected contact's flag, on its keys line
            self.detail.flag = desk.help.flag_on(desk.selected_id or "")
        if changes.broadcasts:
            self.broadcasts.tick(self.clock())

    # --- the panes, and the focus in them ------------------------------------------------------

    def resize(self, size: Size) -> bool:
        """The terminal's size (the screen's): True when the panes went from one at a time to all, or back."""
        return self.panes.resize(self, size)

    def show_pane(self, pane: str) -> None:
        if self.panes.show_pane(pane):
            self.show_conversation()  # it gave its place to the experts, or took it back
        self.panes.arrange(self)

    def show_conversation(self) -> None:
        self.set_class(self.panes.conversation_shown(), "-conversation")
        self.set_class(self.panes.call_shown(), "-call")
        self._leave_if_gone(self.conversation, self.desk.selected_conversation() is None, self.screen.focused)
        self.conversation.show_selected()

    def _leave_if_gone(self, area: Widget, gone: bool, focused: Widget | None) -> None:
        """The area the cursor is in has nothing left to show (its conversation left the desk, its wrap-up ended or
        its end was refused): the cursor back to the contacts, where it is seen, not on whatever Textual picks."""
        if gone and focused is not None and area in focused.ancestors_with_self:
            self.focus_contacts()

    def focus_contacts(self) -> None:
        self.focus_now(self.contacts)

    def focus_now(self, widget: Widget) -> None:
        """Move focus now, not after a deferred callback (`Widget.focus`): keys typed right behind this one, by a
        fast typist or on a busy machine, must land where it sent them."""
        self.screen.set_focus(widget)

    # --- an area brought forward by a command, the keyboard in it ---------------------------------

    def open_composer(self) -> bool:
        """Into the selected conversation's composer (mounted if no conversation was drawn yet); False if none."""
        if self.desk.selected_conversation() is None:
            return False
        self.show_pane("conversation")
        self.focus_now(self.conversation.composer)
        return True

    def open_wrap_up(self) -> None:
        if self.desk.wrap_up() is not None:
            self.show_pane("wrap-up")
            self.focus_now(self.wrap_up.disposition)

    def open_customer_tab(self, number: int) -> None:
        self.show_pane("card")
        self.card.show_tab(number, focus=True)

    def open_expert_search(self) -> None:
        self.show_pane("experts")
        self.focus_now(self.experts.search_box)
