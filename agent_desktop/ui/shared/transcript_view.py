"""A conversation's transcript drawn with Textual's line API: only the visible lines become strips, so a
5,000-message transcript scrolls as fast as a ten-message one (toolong's LogLines works the same way;
one widget per message gets slow past a few hundred).

Each item is laid out once per width into plain segments (customer text is literal: segments are never
parsed as markup, control characters are removed) and kept by item id; a new message lays out only
itself. The view follows new messages while it is at the bottom, stays where the agent scrolled to
otherwise, and asks for older items (`NeedOlder`) when the agent scrolls to the top, or as soon as what it
has drawn does not fill it (a short page: nothing to scroll up through). Each conversation keeps its own
place while another is shown; an email opens at the customer's latest message (what comes after it, an
automatic acknowledgement, must not push it out of sight).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Unpack

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from agent_desktop.domain.formats.languages import LANGUAGES
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.vocabulary import Channel, ParticipantRole
from agent_desktop.transcripts.conversation import ConversationState, PrivateNote
from agent_desktop.ui.lines import Line, LineView, scroll_bindings, wrap

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

NAME_STYLES = {
    ParticipantRole.CUSTOMER: Style(bold=True, color="cyan"),
    ParticipantRole.AGENT: Style(bold=True, color="green"),
    ParticipantRole.SUPERVISOR: Style(bold=True, color="magenta"),
    ParticipantRole.SYSTEM: Style(bold=True, color="yellow"),
}
TIME_STYLE = Style(dim=True)
BODY_STYLE = Style()
SYSTEM_STYLE = Style(dim=True, italic=True)
QUOTE_STYLE = Style(dim=True)
SUBJECT_STYLE = Style(bold=True)
NOTE_STYLE = Style(color="yellow", italic=True)
WHISPER_STYLE = Style(color="magenta", italic=True)
DELIVERED_STYLE = Style(dim=True)
READ_STYLE = Style(bold=True, color="cyan")
WAITING_STYLE = Style(bold=True, color="yellow")
TRANSLATION_STYLE = Style(dim=True, italic=True)
INDENT = "  "
BOT_MARK = "  · the virtual agent, before you"  # its lines at the start of a handed-on chat


@dataclass
class _Laid:
    key: tuple[object, ...]
    lines: list[Line]


class TranscriptView(LineView, can_focus=True):
    """The selected conversation's items, newest at the bottom."""

    class NeedOlder(Message):
        """Scrolled to the top of what is known, and more exists."""

        def __init__(self, contact_id: str) -> None:
            super().__init__()
            self.contact_id = contact_id

    class ReachedEnd(Message):
        """The agent scrolled back down to the newest line (or an email opened at its customer's latest
        message): what the customer wrote is in front of them, read now."""

        def __init__(self, contact_id: str) -> None:
            super().__init__()
            self.contact_id = contact_id

    BINDINGS: ClassVar[list[BindingType]] = [*scroll_bindings("Oldest", "Newest")]

    DEFAULT_CSS = """
    TranscriptView {
        scrollbar-size-vertical: 1;
        /* The width lines are laid out at must not change when the scrollbar comes and goes. */
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """

    def __init__(self, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self._conversation: ConversationState | None = None
        self._shown: tuple[object, ...] | None = None  # (contact id, version, width) drawn
        self._laid: dict[str, _Laid] = {}  # item id → its lines at the width drawn
        self._lines: list[Line] = []
        # What `_lines` was laid out from: the items (each object once: a changed item is a new object), the
        # width and the header line (older messages, the start); None until drawn, or when notes are drawn.
        self._laid_from: tuple[list[TranscriptItem], int, bool, bool, tuple[int, int, bool]] | None = None
        self._first_ids: str | None = None  # the oldest item drawn (prepending keeps the place)
        self._more_drawn = False  # the lines drawn say older items exist ("↑ older messages")
        self._filling_from: str | None = None  # the oldest item drawn when older ones were asked for to fill the view
        self._follow = True
        self._placed = False  # the opening place was chosen (the end; an email's latest customer message)
        self._places: dict[str, tuple[bool, float, int]] = {}  # contact id → (following, scroll y, width) left
        # The agent's messages waiting to leave (an email or SMS with its undo): (name, text, mark), drawn under the
        # last item and laid out apart from the items (they are not the conversation's until they leave).
        self._waiting: list[tuple[str, str, str]] = []
        self._waiting_lines: list[Line] = []

    # --- what the screen sets ---------------------------------------------------------

    def show(self, conversation: ConversationState | None) -> None:
        """Draw `conversation` if it changed since it was drawn (cheap to call on every desk change)."""
        width = self._text_width()
        shown = (conversation.contact_id, conversation.version, width) if conversation else None
        if shown == self._shown and conversation is self._conversation:
            return
        switched = conversation is not self._conversation
        if switched and self._conversation is not None and self._placed:
            self._places[self._conversation.contact_id] = (self._follow, self.scroll_y, self._text_width())
        self._conversation = conversation
        self._shown = shown
        if switched:
            self._waiting, self._waiting_lines = [], []
            self._laid.clear()
            self._laid_from = None
            self._first_ids = self._filling_from = None
            self._follow, self._placed = True, False
        old_first = self._first_ids
        first_new_line = self._layout(width)
        added_on_top = 0
        if (
            not switched
            and old_first is not None
            and conversation is not None
            and conversation.items
            and conversation.items[0].id != old_first
        ):
            # Older items came in above: keep the line the agent was reading where it was.
            added_on_top = self._line_of(old_first)
        self._first_ids = conversation.items[0].id if conversation and conversation.items else None
        self.forget_lines(first_new_line)
        self._waiting_lines = _waiting_lines(self._waiting, width)
        self.set_lines_size(Size(width, self.line_count()))
        opening_at = self._opening_line(width) if not self._placed and conversation is not None else None
        if opening_at is not None:
            self._follow = False
            self._go_to(opening_at)
            self.call_after_refresh(
                self._open_at, opening_at
            )  # again once laid out (the pane may have just been shown)
        elif self._follow:
            self._to_end()
            self.call_after_refresh(self._to_end)  # again once laid out (the pane may have just been shown)
        elif added_on_top:
            self.scroll_to(y=self.scroll_y + added_on_top, animate=False, immediate=True, force=True)
        self.refresh()
        if self._more_drawn:
            self.call_after_refresh(self._check_fill)  # once laid out: does what is drawn fill the view?

    def forget_places(self, keep: Collection[str]) -> None:
        """Drop where the agent left conversations no longer in hand (`keep`: those still in hand): a place is
        kept for a conversation switched away from, and one that ended without being shown again stayed, one
        per chat all shift long."""
        for contact_id in [cid for cid in self._places if cid not in keep]:
            del self._places[contact_id]

    @property
    def following(self) -> bool:
        """At the newest line, or showing the customer's latest message: what they wrote is in front of the
        agent (an email opened at it counts as read)."""
        if self._follow:
            return True
        line = self._latest_customer_line()
        return line is not None and self.scroll_y <= line < self.scroll_y + max(
            1, self.scrollable_content_region.height
        )

    # --- where a conversation opens ------------------------------------------------------

    def _opening_line(self, width: int) -> int | None:
        """The line to open the conversation at, once (None: at the end, following it).

        Where the agent left it if they scrolled away; an email at its customer's latest message (once its
        items are in); else the end."""
        conversation = self._conversation
        assert conversation is not None
        place = self._places.pop(conversation.contact_id, None)
        if place is not None and place[2] == width:
            self._placed = True
            following, y, _ = place
            return None if following else int(y)
        if conversation.channel is not Channel.EMAIL:
            self._placed = True
            return None
        line = self._latest_customer_line()
        if line is None:
            return None  # not loaded yet: placed when the customer's message comes in
        self._placed = True
        return line

    def _latest_customer_line(self) -> int | None:
        conversation = self._conversation
        if conversation is None:
            return None
        latest = next((item for item in reversed(conversation.items) if item.role is ParticipantRole.CUSTOMER), None)
        return self._line_of(latest.id) if latest is not None and latest.id in self._laid else None

    def _open_at(self, line: int) -> None:
        self._go_to(line)
        if self.following and self._conversation is not None:
            self.post_message(self.ReachedEnd(self._conversation.contact_id))

    def _go_to(self, line: int) -> None:
        """Scroll so that `line` is the first in view (or as near as the end allows).

        `force`: the place is chosen as soon as the lines are known, which with a fast backend is before the
        layout has given this view its scrollbar; unforced, Textual ignores the scroll then (no scrollbar, no
        vertical scrolling), and an email opened at the top instead of at the customer's latest message."""
        self.scroll_to(y=min(line, self.max_scroll_y), animate=False, immediate=True, force=True)

    def show_waiting(self, waiting: Sequence[tuple[str, str, str]]) -> None:
        """The agent's messages waiting to leave, each (name, text, mark: "sending in 3 s — ^z undo"), under the
        last line; drawn again only when one of them changed."""
        if list(waiting) == self._waiting:
            return
        self._waiting = list(waiting)
        width = self._text_width()
        self.forget_lines(len(self._lines))
        self._waiting_lines = _waiting_lines(self._waiting, width)
        self.set_lines_size(Size(width, self.line_count()))
        if self._follow:
            self._to_end()
        self.refresh()

    def line_count(self) -> int:
        return len(self._lines) + len(self._waiting_lines)

    def plain_lines(self) -> list[str]:
        """Every line as text (tests read what the agent would see, scrolled anywhere)."""
        return ["".join(segment.text for segment in line) for line in [*self._lines, *self._waiting_lines]]

    # --- layout ---------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 60)

    def _layout(self, width: int) -> int:
        """Lay the conversation out in `_lines`; returns the first line that changed. Items only added after
        those drawn (a new message) are laid out alone and their lines appended: the lines drawn stay."""
        conversation = self._conversation
        lines: list[Line] = []
        self._more_drawn = conversation is not None and conversation.has_more
        if conversation is None:
            self._lines, self._laid_from = lines, None
            return 0
        laid = self._laid_from
        items = conversation.items
        if (
            laid is not None
            and laid[1:] == (width, conversation.has_more, conversation.loaded, _translation_key(conversation))
            and len(items) >= len(laid[0])
            and not conversation.notes
            and laid[0] == items[: len(laid[0])]  # the same objects (identity first): none of them changed
        ):
            first_new_line = len(self._lines)
            email = conversation.channel is Channel.EMAIL
            for item in items[len(laid[0]) :]:
                self._lines.extend(self._item_lines(item, width, email))
                laid[0].append(item)
            return first_new_line
        if conversation.has_more:
            lines.append([Segment("  ↑ older messages: scroll up", SYSTEM_STYLE)])
        elif conversation.loaded:
            lines.append([Segment("  Start of the conversation", SYSTEM_STYLE)])
        notes = sorted(conversation.notes, key=lambda note: note.at)
        note_at = 0
        email = conversation.channel is Channel.EMAIL
        for item in items:
            while note_at < len(notes) and notes[note_at].at < item.created_at:
                lines.extend(_note_lines(notes[note_at], width))
                note_at += 1
            lines.extend(self._item_lines(item, width, email))
        for note in notes[note_at:]:
            lines.extend(_note_lines(note, width))
        self._lines = lines
        self._laid_from = (
            None
            if notes
            else (list(items), width, conversation.has_more, conversation.loaded, _translation_key(conversation))
        )
        return 0

    def _item_lines(self, item: TranscriptItem, width: int, email: bool) -> list[Line]:
        shown = _translation_of(self._conversation, item)
        key = (width, item.delivered_at, item.read_at, item.text, shown)  # text: masked again when a later part came
        laid = self._laid.get(item.id)
        if laid is None or laid.key != key:
            laid = _Laid(key, _lay_out(item, width, email, shown))
            self._laid[item.id] = laid
        return laid.lines

    def _line_of(self, item_id: str) -> int:
        """The first line of an item (after older items were put above it)."""
        laid = self._laid.get(item_id)
        if laid is None or not laid.lines:
            return 0
        first = laid.lines[0]
        for number, line in enumerate(self._lines):
            if line is first:
                return number
        return 0

    # --- drawing -------------------------------------------------------------------

    def render_body_line(self, number: int, width: int) -> Strip:
        count = len(self._lines)
        if 0 <= number < count:
            line = self._lines[number]
        else:
            line = self._waiting_lines[number - count] if 0 <= number - count < len(self._waiting_lines) else []
        base, scroll_x = self.rich_style, round(self.scroll_x)
        return Strip(Segment.apply_style(line, base)).crop_extend(scroll_x, scroll_x + width, base)

    def on_resize(self) -> None:
        if self._conversation is not None:
            self._shown = None
            self.show(self._conversation)

    # --- following and older pages --------------------------------------------------------

    def _to_end(self) -> None:
        if self._follow:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)  # as in _go_to

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        if shown:  # the place may have been chosen before the scrollbar came (`_go_to`): its thumb shows it
            self.vertical_scrollbar.position = self.scroll_y

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.max_scroll_y > 0 and self.scrollable_content_region.height > 0:
            was_following = self._follow
            self._follow = new_value >= self.max_scroll_y - 0.5  # the agent scrolled up: stay there
            if self._follow and not was_following and self._conversation is not None:
                self.post_message(self.ReachedEnd(self._conversation.contact_id))
        if round(new_value) <= 0 and round(old_value) > 0 and self.max_scroll_y > 0:
            # Scrolled to the top. Not when the scroll was only clamped to 0 because the lines fit (the view
            # got its size after a place was forced on it): `_check_fill` answers for a view they do not fill.
            self._ask_older()

    def _check_fill(self) -> None:
        """After a draw, once laid out: lines that do not fill the view leave nothing to scroll up through, so
        the older page is asked for now (a long conversation waits until the agent scrolls to its top).

        Decided on what is drawn, not on the conversation's state: the desk may already hold a newer page
        (its `has_more` set) that this view has not drawn yet, with no lines and its scroll at 0."""
        if self.scrollable_content_region.height <= 0:
            return  # not laid out yet: the resize draws again and asks again
        if self.max_scroll_y <= 0 and self._filling_from != self._first_ids:
            self._filling_from = self._first_ids  # once per page: a page that brought nothing older is not asked again
            self._ask_older()

    def _ask_older(self) -> None:
        conversation = self._conversation
        if conversation is not None and conversation.has_more and self._more_drawn:
            self.post_message(self.NeedOlder(conversation.contact_id))


# --- laying out one item ------------------------------------------------------------------


def _clock(at: datetime) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def _marks(item: TranscriptItem) -> list[Segment]:
    if item.role is not ParticipantRole.AGENT or item.kind != "message":
        return []
    if item.read_at is not None:
        return [Segment("  ✓✓ read", READ_STYLE)]
    if item.delivered_at is not None:
        return [Segment("  ✓ delivered", DELIVERED_STYLE)]
    return [Segment("  sent", DELIVERED_STYLE)]


def _translation_key(conversation: ConversationState) -> tuple[int, int, bool]:
    """What of a conversation's translations its laid-out lines depend on (a translation arrived, the key toggled)."""
    return (len(conversation.translations), len(conversation.not_translated), conversation.show_original)


def _translation_of(conversation: ConversationState | None, item: TranscriptItem) -> tuple[str, str] | None:
    """A translated conversation's message as the agent reads it now: (its text, the line saying what it is); None
    where the conversation is not translated or the item is no message of the customer's or the agent's."""
    if conversation is None or conversation.language is None or item.is_system or item.kind != "message":
        return None
    language = LANGUAGES.get(conversation.language, conversation.language)
    other = conversation.translations.get(item.id)
    customer = item.role is ParticipantRole.CUSTOMER
    if other is None:
        why = conversation.not_translated.get(item.id)
        return (item.text, f"↳ not translated: {why}") if customer and why else None
    if conversation.show_original:
        return item.text, f"↳ as written, in {language}" if customer else f"↳ as sent, in {language}"
    return other, f"↳ translated from {language}" if customer else f"↳ sent in {language}"


def _lay_out(item: TranscriptItem, width: int, email: bool, shown: tuple[str, str] | None = None) -> list[Line]:
    if item.kind == "whisper":
        return _whisper_lines(item, width)
    if item.is_system:
        text = f"— {item.text} · {_clock(item.created_at)} —"
        return [[Segment(INDENT + part, SYSTEM_STYLE)] for part in wrap(text, width - 2)] + [[]]
    name = strip_controls(item.display_name).replace("\n", " ")[: max(10, width - 20)]
    lines: list[Line] = [
        [
            Segment(name, NAME_STYLES.get(item.role, BODY_STYLE)),
            Segment("  " + _clock(item.created_at), TIME_STYLE),
            *([Segment(BOT_MARK, TIME_STYLE)] if item.by_virtual_agent else _marks(item)),
        ]
    ]
    body_width = width - len(INDENT)
    if email and item.subject:
        lines += [
            [Segment(INDENT + "Subject: ", SUBJECT_STYLE), Segment(part, SUBJECT_STYLE)]
            for part in wrap(item.subject, body_width - 9)
        ]
    lines += [[Segment(INDENT + part, BODY_STYLE)] for part in wrap(shown[0] if shown else item.text, body_width)]
    if shown is not None:
        lines += [[Segment(INDENT + part, TRANSLATION_STYLE)] for part in wrap(shown[1], body_width)]
    if item.quoted:
        lines += [[Segment(INDENT + "│ " + part, QUOTE_STYLE)] for part in wrap(item.quoted, body_width - 2)]
    if item.segments and item.segments > 1:
        lines.append([Segment(f"{INDENT}({item.segments} SMS segments, {item.encoding})", TIME_STYLE)])
    lines.append([])
    return lines


def _waiting_lines(waiting: Sequence[tuple[str, str, str]], width: int) -> list[Line]:
    """Messages of the agent not sent yet: their text as it will leave, and where the receipt will be, the mark."""
    lines: list[Line] = []
    for name, text, mark in waiting:
        name = strip_controls(name).replace("\n", " ")[: max(10, width - 40)]
        lines.append([Segment(name, NAME_STYLES[ParticipantRole.AGENT]), Segment("  " + mark, WAITING_STYLE)])
        lines += [[Segment(INDENT + part, BODY_STYLE)] for part in wrap(text, width - len(INDENT))]
        lines.append([])
    return lines


def _whisper_lines(item: TranscriptItem, width: int) -> list[Line]:
    """A supervisor's whisper: its own kind of line, marked as theirs, never the customer's."""
    name = strip_controls(item.display_name).replace("\n", " ")[: max(10, width - 40)]
    head, when = "Whisper · " + name, "  " + _clock(item.created_at)
    if len(head) + len(when) + len("  to the agent only") <= width:
        lines: list[Line] = [
            [Segment(head, WHISPER_STYLE + Style(bold=True)), Segment(when + "  to the agent only", TIME_STYLE)]
        ]
    else:  # a narrow pane (a supervisor's monitor card): the words on a line of their own rather than cut
        lines = [
            [Segment(head, WHISPER_STYLE + Style(bold=True)), Segment(when, TIME_STYLE)],
            [Segment(INDENT + "to the agent only", TIME_STYLE)],
        ]
    lines += [[Segment(INDENT + "» " + part, WHISPER_STYLE)] for part in wrap(item.text, width - 4)]
    lines.append([])
    return lines


def _note_lines(note: PrivateNote, width: int) -> list[Line]:
    lines: list[Line] = [
        [
            Segment("Private note", NOTE_STYLE),
            Segment("  " + _clock(note.at) + "  not sent to the customer", TIME_STYLE),
        ]
    ]
    lines += [[Segment(INDENT + "▌ " + part, NOTE_STYLE)] for part in wrap(note.text, width - 4)]
    lines.append([])
    return lines
