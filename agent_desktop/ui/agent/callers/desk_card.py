"""The agent screen's card area: the caller's card (customer_card.py) for the contact the desk pops, and its
flows (pick or find the caller's customer, create one from the new-caller form, a case, a past conversation)
handed to the dialogs (agent_dialogs.py), which hand the answers to the controller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from textual import on
from textual.app import ComposeResult
from textual.message import Message

from agent_desktop.ui.agent.agent_dialogs import AgentDialogs
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop.ui.agent.callers.new_caller_form import NewCallerForm
from agent_desktop.ui.agent.callers.running_summary_view import RunningSummaryView
from agent_desktop.ui.plain_text import literal_title

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

CARD_TITLE = "Customer"
NOT_THE_OFFER = "Customer · of your contact in hand, not the caller offered"


class DeskCard(CustomerCard):
    class Created(Message):
        """The new caller's customer is created: the agent goes back to the contacts."""

    def __init__(self, dialogs: AgentDialogs, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(dialogs.desk.crm_capabilities, **kwargs)
        self.dialogs = dialogs
        self.running_summary = RunningSummaryView()  # the assistant's, under the card

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield self.running_summary

    def desk_changed(self) -> None:
        desk = self.dialogs.desk
        popped = desk.popped_contact_id()
        self.show_lookup(popped, desk.popped_lookup())
        self.running_summary.show(desk.summaries.get(popped) if popped is not None else None)
        # An offer while a contact is in hand leaves the card on that contact's customer: the title says whose it
        # is, so it is not read as the caller offered (whose line, "Looking up the caller…", is on the offer card).
        offered = desk.offer.contact.id if desk.offer is not None else None
        title = CARD_TITLE if offered is None or popped in (None, offered) else NOT_THE_OFFER
        if str(self.border_title) != title:
            self.border_title = literal_title(title)
        mood = self._mood_line(popped)
        if str(self.border_subtitle) != mood:
            self.border_subtitle = literal_title(mood)

    def _mood_line(self, contact_id: str | None) -> str:
        """The customer's mood in this contact, under the card: their last messages' (or a caller's last lines')
        scores as bars and the words ("mood ▆▅▂▁ negative ↓ worse"); nothing before they said anything."""
        desk = self.dialogs.desk
        said = (desk.conversations.get(contact_id) or desk.calls.get(contact_id)) if contact_id else None
        mood = said.customer_mood() if said is not None else None
        return f"mood {mood.bars} {mood.words}" if mood is not None else ""

    def pick_customer(self) -> None:
        self.dialogs.pick_customer(self.new_caller_form)

    @on(NewCallerForm.Create)
    def _create(self, message: NewCallerForm.Create) -> None:
        self.dialogs.create_customer(self.new_caller_form, message.customer, lambda: self.post_message(self.Created()))

    @on(CustomerCard.TranscriptWanted)
    def _transcript_wanted(self, message: CustomerCard.TranscriptWanted) -> None:
        self.dialogs.open_transcript(message.interaction_id)

    @on(CustomerCard.TimelineWanted)
    def _timeline_wanted(self, message: CustomerCard.TimelineWanted) -> None:
        if (contact_id := self.dialogs.desk.popped_contact_id()) is not None:
            self.dialogs.timeline_wanted(contact_id, message.older)
