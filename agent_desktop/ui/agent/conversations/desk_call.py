"""The agent screen's call area: the selected call's live transcript (who said what, when; a line still being heard
marked so), in the experts' place while a call is selected, as a conversation is; its title says the customer's mood
from what they said (docs/conversation-intelligence.md); one dim line under the transcript says how the call is being
spoken (the contact center's coaching figures: transcripts/call_coaching.py), never over the customer's words. Above
the transcript, what came before this agent: the note of the agent who transferred the call, else, for a call the
contact center's virtual agent answered first, why it handed the caller on and what the two said (a chat's handoff
starts its transcript; a call's lines are only what is heard from now). Drawn from the desk when the selection or the
call's transcript changed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import BotHandoff, CallCoachingEvent, Handover
from agent_desktop.transcripts.call_coaching import SEPARATOR, coaching_words, fitted
from agent_desktop.ui import shared
from agent_desktop.ui.agent.contacts.journey_lines import before_this_agent, handoff_parts
from agent_desktop.ui.plain_text import literal_title, plain

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions
    from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView


class DeskCall(Vertical):
    """Hidden until a call is selected; its parts (the transcript's line view, the transferring agent's note) are
    mounted when the first contact is selected, not at start-up, as the conversation pane's are (conversation_pane.py).
    """

    def __init__(self, desk: Desk, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self._parts: tuple[Static, CallTranscriptView, Static] | None = None
        self._title = ""
        self._handover: Handover | BotHandoff | None = None
        self._coaching: tuple[CallCoachingEvent | None, int] | None = None  # drawn: the figures, at what width

    def compose(self) -> ComposeResult:
        return iter(())  # the parts: `_mount_parts`, once a contact is selected

    def _mount_parts(self) -> tuple[Static, CallTranscriptView, Static]:
        """The note, the transcript and the coaching line, mounted if they are not yet: they can be queried at once,
        as composed ones."""
        if self._parts is None:
            self._parts = (
                Static(id="call-handover"),
                shared.CallTranscriptView(id="call-transcript"),
                Static(id="call-coaching", markup=False),
            )
            self.mount_all(self._parts)
        return self._parts

    @property
    def handover(self) -> Static:
        return self._mount_parts()[0]

    @property
    def transcript(self) -> CallTranscriptView:
        return self._mount_parts()[1]

    @property
    def coaching(self) -> Static:
        return self._mount_parts()[2]

    def on_resize(self) -> None:
        if isinstance(handover := self._handover, BotHandoff):  # its lines are cut to the area's width
            self._handover = None
            self._show_handover(handover)
        if self._coaching is not None:
            self._show_coaching(self._coaching[0])

    def show_selected(self) -> None:
        """The selected call's transcript (none: emptied)."""
        desk = self.desk
        call = desk.selected_call()
        contact = desk.selected_contact()
        lookup = desk.lookups.get(contact.id) if contact is not None else None
        known = lookup.record.customer.name if lookup is not None and lookup.record is not None else None
        if contact is not None or self._parts is not None:  # (no contact selected yet: nothing drawn, nothing to clear)
            self.transcript.show(call, known or None)  # the caller's lines under the CRM's name for them
            self._show_handover(before_this_agent(contact) if contact is not None and desk.call_area_wanted() else None)
            self._show_coaching(call.coaching if call is not None else None)
        title = "Call"
        if call is not None and contact is not None:
            title = f"Call · {known or shown_phone(contact.from_address)}"
            if (mood := call.customer_mood()) is not None and mood.worth_saying:
                title += f" · mood {mood.words}"
        if title != self._title:  # a border title repaints the whole area
            self._title = title
            self.border_title = literal_title(title)

    def _show_handover(self, handover: Handover | BotHandoff | None) -> None:
        """What happened before this agent joined, above what is said: the transferring agent's note, or the virtual
        agent's handoff (why, what for, the mood; its last lines); none: no room taken."""
        if handover == self._handover:
            return
        self._handover = handover
        self.handover.display = handover is not None
        if isinstance(handover, Handover):
            self.handover.update(
                Content.assemble(
                    ("↪ Note from ", "dim"),
                    plain(handover.by or "the last agent", "bold"),
                    (f" {_clock(handover.at)}" if handover.at is not None else "", "dim"),
                    ("\n", ""),
                    plain(handover.note),
                )
            )
        elif handover is not None:
            room = self.handover.content_region.width or max(0, self.content_region.width - 4)
            self.handover.update(_bot_lines(handover, room or BOT_LINE_ROOM))

    def _show_coaching(self, coaching: CallCoachingEvent | None) -> None:
        """How the call is being spoken, on one dim line under the transcript, fitted to the area's width (the last
        figures given up first); what needs attention first, in words and bold. None: no room taken."""
        room = max(0, self.content_region.width)
        if (coaching, room) == self._coaching:
            return
        self._coaching = (coaching, room)
        line = self.coaching
        line.display = coaching is not None
        if coaching is None:
            return
        said = fitted(coaching_words(coaching), room)
        parts = [Content.styled(part.text, "bold $warning" if part.urgent else "dim") for part in said]
        line.update(Content(SEPARATOR).join(parts), layout=False)


def _clock(at: datetime) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"  # as the transcript's lines say when they were said


BOT_LINES_SHOWN = 4  # the handoff's last lines (the note's area holds six: its line, "earlier", these)
BOT_LINE_ROOM = 60  # a line's cells before the area has a width


def _bot_lines(handoff: BotHandoff, width: int) -> Content:
    """`Bot › wants a person · billing dispute · upset`, then the last lines the caller and the bot said, one line
    each under who said it (cut to `width`), literal: a customer's words and a bot's are never markup."""
    lines = handoff.transcript[-BOT_LINES_SHOWN:]
    earlier = len(handoff.transcript) - len(lines)
    parts: list[Content] = [Content.assemble(*handoff_parts(handoff, width))]
    if earlier:
        parts.append(Content.styled(f"… {earlier} earlier line{'s' if earlier != 1 else ''}", "dim"))
    for line in lines:
        who = ("Bot  ", "bold $accent") if line.role == "virtual_agent" else ("Caller  ", "bold")
        parts.append(Content.assemble(who, plain(one_line(line.text, max(10, width - len(who[0]))))))
    return Content("\n").join(parts)
