"""The agent screen's areas, one widget each, and what the desk's changes ask of each (attributes down): the
status line, the offer, the contacts and the selected one, the caller's card, the wrap-up, the experts and the
conversation. Each draws itself from the desk; this only hands each the changes it draws. The screen composes
them (agent_screen.py) and keeps what is the screen's own: its layout classes and the focus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from desktop.conversations.quick_responses import QuickResponse
from desktop.desk.changes import Changes
from desktop.desk.controller import DeskController
from desktop.ui.agent.agent_conversations import DeskConversation
from desktop.ui.agent.agent_dialogs import AgentDialogs
from desktop.ui.agent.agent_offers import DeskOffer
from desktop.ui.agent.agent_status import AgentStatus
from desktop.ui.agent.contact_detail import ContactDetail
from desktop.ui.agent.desk_card import DeskCard
from desktop.ui.agent.desk_contacts import DeskContacts
from desktop.ui.agent.desk_experts import DeskExperts
from desktop.ui.agent.desk_wrap_up import DeskWrapUp


class AgentAreas:
    def __init__(
        self, controller: DeskController, dialogs: AgentDialogs, clock: Callable[[], datetime], quick_responses: list[QuickResponse]
    ) -> None:
        desk = self.desk = controller.desk
        self.status_line = AgentStatus(id="agent-status")
        self.offer = DeskOffer(desk, clock, id="offer")
        self.contacts = DeskContacts(desk, clock, id="contacts")
        self.detail = ContactDetail(desk.capabilities, id="contact-detail")
        self.card = DeskCard(dialogs, id="customer")
        self.wrap_up = DeskWrapUp(controller, id="wrap-up")
        self.experts = DeskExperts(dialogs, id="experts")
        self.conversation = DeskConversation(controller, clock, quick_responses, id="conversation")

    def mounted(self) -> None:
        self.offer.border_title = "Offer"
        self.contacts.border_title = "My contacts"
        self.detail.border_title = "Selected contact"

    def draw(self, changes: Changes, show_conversation: Callable[[], None]) -> None:
        """Each area draws what changed for it; the conversation by `show_conversation`, the screen's (it moves the
        focus out of the conversation when that goes)."""
        desk = self.desk
        if changes.agent and desk.agent is not None:
            self.status_line.agent = desk.agent
        if changes.links:
            self.status_line.links = dict(desk.links)
        self.offer.desk_changed(changes.offer, changes.agent)
        if self.contacts.desk_changed(changes):
            self.detail.contact = desk.selected_contact()
        if changes.selection or (desk.selected_id is not None and desk.selected_id in changes.conversations):
            show_conversation()
            self.detail.conversation = desk.selected_conversation()
            self.detail.refresh()  # the same conversation, changed: whose turn it is may be new
        self.card.desk_changed()
        if changes.wrap_up or changes.queues:
            self.wrap_up.desk_changed()
        self.experts.directory_changed()

    def tick(self, now: datetime) -> None:
        """The times each area shows (the status line's, the offer's and the selected contact's are bound to the
        screen's `now`)."""
        desk = self.desk
        self.detail.conversation = desk.selected_conversation()  # may be loaded after the contact was selected
        self.contacts.tick(now)
        self.wrap_up.tick(now)
        if self.conversation.display:
            self.conversation.tick(desk.selected_contact(), desk.selected_conversation(), now)
