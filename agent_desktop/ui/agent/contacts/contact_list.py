"""The contacts in the agent's hands: pick one to work on (the selected one is marked ▶). A written contact awaiting
a reply shows its SLA clock (agent_desktop/agent_desk/conversations/sla_clocks.py) in its State cell, "Reply 0:42", coloured by the .tcss as
it nears and passes the contact center's target, "Reply now" once breached. A conversation awaiting our reply (the
customer wrote last, as the contact center holds it) is marked ↩ beside its customer, and the list's subtitle counts
them; with the awaiting-reply filter on (`A`) the list shows only those and the selected contact. A snoozed
conversation is marked z, one with a reply scheduled », counted together; `Z` shows only those."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from agent_desktop.agent_desk.conversations.sla_clocks import ClockLevel, contact_clock
from agent_desktop.agent_desk.voice.call_media import CallMedia, MediaState
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Contact, ResponseTarget
from agent_desktop.domain.vocabulary import TALKING, ConsultState, ContactState
from agent_desktop.transcripts.call_transcript import CallTranscript
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui.plain_text import cell, literal_title
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from agent_desktop.ui.textual_compat import drop_stale_table_renders, set_column_widths

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

STATE_WORDS = {
    ContactState.CONNECTED: ("Connected", "bold green"),
    ContactState.ON_HOLD: ("On hold", "yellow"),
    ContactState.AFTER_CONTACT_WORK: ("Wrap-up", "magenta"),
    ContactState.COMPLETED: ("Timed out", "bold magenta"),  # kept on screen: its wrap-up is not saved yet
}
CONSULT_WORDS = {
    ConsultState.RINGING: "Consulting",
    ConsultState.CONNECTED: "In consult",
    ConsultState.FAILED: "Consult fail",
}
SELECTED_MARK = "▶"
AWAITING_MARK = "↩"  # the customer wrote last: ours to answer
SNOOZED_MARK = "z"  # snoozed until a time: a customer's message wakes it
LATER_MARK = "»"  # a reply scheduled to send later, unless the customer writes first


def state_cell(
    contact: Contact,
    now: datetime,
    conversation: ConversationState | None = None,
    reply: Text | None = None,
    acw_left_s: float | None = None,
) -> Text:
    """The state word with the timer that matters in it: hold time, consult leg, the ACW countdown, or a
    conversation's inactivity countdown (red in its last minute), the SLA clock of the reply the customer waits
    for (`reply`, where the contact center sets a target), else how long the customer has waited for an answer
    when they wrote last ("Waits"), else how long they have been quiet ("Idle"). `acw_left_s`: what is left of the
    wrap-up's time box on the desk's clock (agent_desk/wrap_up/wrap_up_deadline.py), else read from its deadline."""
    word, style = STATE_WORDS.get(contact.state, (contact.state.value, ""))
    if contact.consult is not None:
        return Text(CONSULT_WORDS[contact.consult.state], style="bold cyan")
    if contact.state == ContactState.ON_HOLD:
        return Text(f"{word} {format_duration(contact.hold_seconds(now), 'short')}", style=style)
    if contact.state == ContactState.AFTER_CONTACT_WORK and contact.acw_deadline is not None:
        left = acw_left_s if acw_left_s is not None else (contact.acw_deadline - now).total_seconds()
        return Text(f"{word} {format_duration(left, 'short')}", style="bold red" if left <= 10 else style)
    if conversation is not None and contact.state == ContactState.CONNECTED:
        if conversation.ended:
            return Text("Ended", style="bold red")
        ends_in = conversation.seconds_left(now)
        if ends_in is not None and ends_in <= 60:
            return Text(f"Ends {format_duration(ends_in, 'short')}", style="bold red")
        if reply is not None:
            return reply
        waiting = conversation.customer_waiting_since()
        waited = max(0.0, (now - waiting).total_seconds()) if waiting is not None else 0.0
        if waited >= 10:  # the customer wrote last: whose turn it is, not only how quiet it is
            return Text(
                f"Waits {format_duration(waited, 'short')}", style="bold red" if waited >= 60 else "bold yellow"
            )
        if waiting is not None:
            return Text(word, style=style)
        idle = conversation.idle_seconds(now)
        if idle is not None and idle >= 10:
            return Text(f"Idle {format_duration(idle, 'short')}", style="yellow" if idle >= 60 else "")
    return Text(word, style=style)


def awaiting_badge(conversation: ConversationState | None) -> Text:
    """↩ beside a customer awaiting our reply (the contact center's state: reading it or a note does not clear it)."""
    return (
        Text(f" {AWAITING_MARK}", style="bold yellow")
        if conversation is not None and conversation.awaiting_reply
        else Text()
    )


def waits_badge(conversation: ConversationState | None) -> Text:
    """z beside a snoozed conversation, » beside one with a reply scheduled (as the contact center holds them)."""
    if conversation is None:
        return Text()
    return Text.assemble(
        (f" {SNOOZED_MARK}", "bold blue") if conversation.snoozed else "",
        (f" {LATER_MARK}", "bold magenta") if conversation.reply_scheduled else "",
    )


def hand_subtitle(count: int, awaiting: int, awaiting_only: bool, later: int = 0, later_only: bool = False) -> str:
    """The list's subtitle: how many are in hand and how to switch, how many await our reply, how many are snoozed
    or have a reply scheduled; with a filter on, what it shows of what is held."""
    if awaiting_only:
        return f"Awaiting reply: {awaiting} of {count} · A shows all"
    if later_only:
        return f"Snoozed or later: {later} of {count} · Z shows all"
    # Said shorter beside the snoozed and scheduled, so all fit the list's width.
    parts = [f"{count} in hand" + ("" if later else " · [ ] switch")] if count > 1 else []
    if awaiting:
        parts.append(f"{awaiting} awaiting (A)" if later else f"{awaiting} awaiting reply (A)")
    if later:
        parts.append(f"{later} later (Z)")
    return " · ".join(parts)


def unread_badge(conversation: ConversationState | None) -> Text:
    unread = conversation.unread if conversation is not None else 0
    return Text(f" {unread}" if unread < 10 else " 9+", style="bold reverse cyan") if unread else Text("")


SlaTarget = Callable[[Contact], ResponseTarget | None]
AcwLeft = Callable[[Contact, datetime], float | None]


def mood_badge(conversation: ConversationState | CallTranscript | None) -> Text:
    """ " upset" beside a customer whose last message (or final line said on a call) read negative (" upset ↓" when
    it got worse): which of the contacts in hand needs care first, in a word (docs/conversation-intelligence.md)."""
    mood = conversation.customer_mood() if conversation is not None else None
    if mood is None or mood.label != "negative":
        return Text()
    return Text(" upset ↓" if mood.trend == "worse" else " upset", style="bold red")


def _no_target(_: Contact) -> ResponseTarget | None:
    return None


def _no_box_left(contact: Contact, now: datetime) -> float | None:
    return (contact.acw_deadline - now).total_seconds() if contact.acw_deadline is not None else None


# The columns' widths (Contact, Queue, State, Time); while a colleague's call is listed, "internal" whole in the
# queue's column (7 cut it to "intern…") at a cell of the contact's.
WIDTHS = (20, 7, 12, 5)
WIDTHS_WITH_INTERNAL = (19, 8, 12, 5)


class ContactList(DataTable[Text]):
    COMPONENT_CLASSES = {"contact-list--sla-ok", "contact-list--sla-near", "contact-list--sla-breached"}

    def __init__(
        self, sla_target: SlaTarget = _no_target, acw_left_s: AcwLeft = _no_box_left, **kwargs: Unpack[WidgetOptions]
    ) -> None:
        """`sla_target`: the response target of a contact's queue and channel (None: no clock shown); `acw_left_s`:
        what is left of a contact's wrap-up time box, on the desk's clock."""
        super().__init__(**kwargs)
        self.sla_target = sla_target
        self.acw_left_s = acw_left_s
        self._clock_styles: dict[ClockLevel, Style] = {}
        self.calls: Mapping[str, CallTranscript] = {}  # the calls' live transcripts (their customer's mood)
        self.media: Mapping[str, CallMedia] = {}  # the calls on the softphone: their sound's state (voice/)
        self.recording_paused: Mapping[str, datetime] = {}  # calls whose recording the agent paused, since when

    def on_mount(self) -> None:
        self._conversations: dict[str, ConversationState] = {}
        self._names: dict[str, str] = {}
        self.cursor_type = "row"
        # Fixed widths that fit the column at 120×40, so the layout never waits on auto-sizing. The labels as Text: a
        # str is parsed as markup, which loads rich's emoji table before the first frame.
        for label, width in zip(("Contact", "Queue", "State", "Time"), WIDTHS, strict=True):
            self.add_column(Text(label), width=width, key=label.lower())

    def state_cell(self, contact: Contact, now: datetime, conversation: ConversationState | None) -> Text:
        """The State cell, with the contact's SLA clock where one runs: time left to the reply, "now" once past; a call
        whose softphone lost its sound says so first, then one ringing or muted there."""
        media = self.media.get(contact.id)
        if media is not None and contact.state in TALKING and media.lost:
            return Text("No sound!", style="bold red")
        paused = self.recording_paused.get(contact.id)
        if paused is not None and contact.state in TALKING:  # on hold too: the pause is kept
            return Text(f"No REC {format_duration((now - paused).total_seconds())}", style="bold yellow")
        if media is not None and contact.state in TALKING:
            if media.state is MediaState.RINGING:
                return Text("Ringing", style="bold yellow")
            if media.muted and contact.state is ContactState.CONNECTED:
                return Text("Muted", style="bold yellow")
        target = self.sla_target(contact)
        clock = None
        if target is not None and contact.consult is None:
            items = conversation.items if conversation is not None else ()
            has_more = conversation.has_more if conversation is not None else False
            ended = conversation.ended if conversation is not None else False
            clock = contact_clock(contact, target, items, has_more, ended, now)
        # As "Waits" did: a wait under ten seconds (a chat just accepted) still reads Connected; the card has the clock.
        if (
            clock is None
            or contact.state != ContactState.CONNECTED
            or (clock.level is ClockLevel.OK and (now - clock.since).total_seconds() < 10)
        ):
            return state_cell(contact, now, conversation, acw_left_s=self.acw_left_s(contact, now))
        return state_cell(contact, now, conversation, Text(f"Reply {clock.text}", style=self._clock_style(clock.level)))

    def _clock_style(self, level: ClockLevel) -> Style:
        """The .tcss style of a clock's level, looked up once per redraw of the list (not per row)."""
        styles = self._clock_styles
        if level not in styles:
            styles[level] = self.get_component_rich_style(f"contact-list--sla-{level.value}")
        return styles[level]

    def show(
        self,
        contacts: list[Contact],
        now: datetime,
        current_id: str | None,
        changed: set[str] | None = None,
        conversations: dict[str, ConversationState] | None = None,
        names: dict[str, str] | None = None,
        *,
        in_hand: int | None = None,
        awaiting_only: bool = False,
        later_only: bool = False,
    ) -> None:
        """Show `contacts`, `current_id` selected; with `changed`, only those rows may differ from what is shown.
        `names`: the customer's name where the CRM found one, shown in place of the address. `in_hand`: how many are
        held when `contacts` are fewer (`awaiting_only`: the awaiting-reply filter shows those)."""
        set_column_widths(self, WIDTHS_WITH_INTERNAL if any(c.colleague for c in contacts) else WIDTHS)
        self._conversations = conversations or {}
        self._names = names or {}
        self._clock_styles = {}
        ids = [contact.id for contact in contacts]
        if ids == [row.value for row in self.rows]:
            updated = False
            # Same contacts in the same order: only the cells that differ, so the cursor does not jump
            # about (and DataTable.update_cell, which drops the table's render cache, runs only when needed).
            for contact in contacts:
                if changed is not None and contact.id not in changed:
                    continue
                for column, value in zip(
                    self.columns,
                    self._cells(
                        contact,
                        now,
                        contact.id == current_id,
                        self._conversations.get(contact.id),
                        self._names.get(contact.id),
                    ),
                    strict=True,
                ):
                    if self.get_cell(contact.id, column) != value:
                        self.update_cell(contact.id, column, value)
                        updated = True
            if updated:
                drop_stale_table_renders(self)
        else:
            self.clear()
            for contact in contacts:
                self.add_row(
                    *self._cells(
                        contact,
                        now,
                        contact.id == current_id,
                        self._conversations.get(contact.id),
                        self._names.get(contact.id),
                    ),
                    key=contact.id,
                )
        if current_id is not None and current_id in self.rows:
            row = self.get_row_index(current_id)
            if self.cursor_row != row:
                self.move_cursor(row=row)
        count = len(contacts) if in_hand is None else in_hand
        awaiting = sum(1 for c in (self._conversations or {}).values() if c.awaiting_reply)
        later = sum(1 for c in (self._conversations or {}).values() if c.snoozed or c.reply_scheduled)
        hand_text = hand_subtitle(
            count, awaiting, awaiting_only, later, later_only
        )  # plain text, through literal_title
        if str(self.border_subtitle or "") != hand_text:
            self.border_subtitle = literal_title(hand_text)

    def highlighted_id(self) -> str | None:
        """The contact under the cursor now (a RowHighlighted message may be older than that)."""
        if not self.row_count or self.cursor_row < 0:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    def _cells(
        self,
        contact: Contact,
        now: datetime,
        selected: bool,
        conversation: ConversationState | None = None,
        name: str | None = None,
    ) -> tuple[Text, Text, Text, Text]:
        badge = (
            awaiting_badge(conversation)
            + waits_badge(conversation)
            + unread_badge(conversation)
            + mood_badge(conversation or self.calls.get(contact.id))
        )
        # Who, as the CRM knows them; the address (on the selected contact's panel) until it does; a colleague called
        # from the directory by their name.
        who = contact.colleague or name or shown_phone(contact.from_address)
        address = cell(who, "bold" if selected else "", limit=40)
        if badge:  # the count must stay visible: the address gives way
            address.truncate(max(4, 15 - len(badge)), overflow="ellipsis")
        return (
            Text.assemble(
                (f"{SELECTED_MARK} " if selected else "  ", "bold"),
                CHANNEL_SYMBOLS[contact.channel],
                " ",
                address,
                badge,
            ),
            cell("internal" if contact.colleague else contact.queue_name, limit=20),
            self.state_cell(contact, now, conversation),
            Text(_time_on(contact, now)),
        )

    def refresh_times(self, contacts: list[Contact], now: datetime) -> None:
        """Tick the timers on each contact without rebuilding the rows (the cursor stays put)."""
        self._clock_styles = {}  # a theme changed since the last tick is read again
        conversations = self._conversations
        updated = False
        for contact in contacts:
            if contact.id in self.rows:
                state = self.state_cell(contact, now, conversations.get(contact.id))
                for column, value in (("state", state), ("time", Text(_time_on(contact, now)))):
                    if self.get_cell(contact.id, column) != value:
                        self.update_cell(contact.id, column, value)
                        updated = True
        if updated:  # every second a contact is in hand: a shift's renders kept would be its length
            drop_stale_table_renders(self)


def _time_on(contact: Contact, now: datetime) -> str:
    end = contact.completed_at if contact.state == ContactState.COMPLETED and contact.completed_at else now
    return format_duration((end - (contact.answered_at or contact.entered_queue_at)).total_seconds())
