"""The agent screen's card area: the caller's card (customer_card.py) for the contact the desk pops, the assistant's
running summary of that contact under it (agent_desk/suggestions/running_summaries.py: hidden where there is none, no
model or too little said yet; it never takes the focus), and its flows (pick or find the caller's customer, create one
from the new-caller form, a case, a past conversation) handed to the dialogs (agent_dialogs.py, seen here only as
`CardFlows`), which hand the answers to the controller."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, Unpack

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import NewCustomer
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop.ui.agent.callers.new_caller_form import NewCallerForm
from agent_desktop.ui.plain_text import literal_title, plain

if TYPE_CHECKING:
    from agent_desktop.assist.running_summary import RunningSummary
    from agent_desktop.ui.lines.widget_options import WidgetOptions

CARD_TITLE = "Customer"
NOT_THE_OFFER = "Customer · of your contact in hand, not the caller offered"


def summary_content(summary: RunningSummary) -> Content:
    covers = f" · {summary.lines} line{'s' if summary.lines != 1 else ''}" if summary.text else ""
    state = " · updating…" if summary.asking else ""
    heading = Content.assemble(("Running summary", "bold $accent"), (covers + state, "dim"))
    lines = [heading]
    if summary.text:
        lines.append(plain(summary.text))
    elif summary.asking:
        lines.append(plain("The assistant is summarising the contact so far…", "dim italic"))
    if summary.failed and not summary.asking:
        lines.append(plain(f"Not updated: {summary.failed.rstrip('.')}.", "$warning"))
    return Content("\n").join(lines)


class RunningSummaryView(Static):
    can_focus = False

    def __init__(self) -> None:
        super().__init__(id="running-summary")
        self.display = False
        self._shown: tuple[int, int] | None = None

    def show(self, summary: RunningSummary | None) -> None:
        shown = (id(summary), summary.version) if summary is not None else None
        if shown == self._shown:
            return  # the card redrawn for something else
        self._shown = shown
        self.display = summary is not None
        if summary is not None:
            self.update(summary_content(summary))


class CardFlows(Protocol):
    """The dialogs' flows the card hands its choices to (agent_dialogs.py's AgentDialogs), and the desk it draws.
    The dialogs import this package's dialogs, never the other way round."""

    @property
    def desk(self) -> Desk: ...

    def pick_customer(self, form: NewCallerForm) -> None: ...

    def create_customer(self, form: NewCallerForm, customer: NewCustomer, created: Callable[[], object]) -> None: ...

    def open_transcript(self, interaction_id: str) -> None: ...

    def timeline_wanted(self, contact_id: str, older: bool) -> None: ...


class DeskCard(CustomerCard):
    class Created(Message):
        """The new caller's customer is created: the agent goes back to the contacts."""

    def __init__(self, dialogs: CardFlows, **kwargs: Unpack[WidgetOptions]) -> None:
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
