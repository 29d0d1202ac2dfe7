"""A call's live transcript, drawn: who said what and when, a line still being heard marked in words ("hearing…")
and dim italic, never by colour alone. Used by the agent's call area and the supervisor's card of a monitored call.

Line API (`LineView`): only the lines in view are drawn. It follows the end while the reader is there; scrolled up,
it stays where they are. Laid out again only when the transcript's version or the width moved.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip

from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.models.transcription import TranscriptionLine
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.transcripts.call_transcript import CallTranscript
from agent_desktop.ui.lines.view import Line, LineView
from agent_desktop.ui.lines.wrap import wrap
from agent_desktop.ui.shared.transcript_view import BODY_STYLE, INDENT, NAME_STYLES, SYSTEM_STYLE, TIME_STYLE

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

HEARING = "hearing…"  # an interim line: the words so far, replaced as more are heard
CUT_OFF = "cut off"  # an interim line when the call ended: the words heard of it, never finished
HEARING_STYLE = Style(dim=True, italic=True)
EMPTY = "Nothing said yet: the caller's and your words show here as they are heard."


class CallTranscriptView(LineView):
    def __init__(self, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self._transcript: CallTranscript | None = None
        self._lines: list[Line] = []
        self._laid: tuple[str, int, int, str | None] | None = None  # (contact id, version, width, name) laid out
        self._customer: str | None = None
        self._follow = True

    def show(self, transcript: CallTranscript | None, customer: str | None = None) -> None:
        """Draw `transcript` (None: empty); a new contact starts at its end. `customer`: the caller's name as the
        CRM knows them, for their lines (else the contact center's name for the caller)."""
        if transcript is not self._transcript:
            self._follow = True
        self._transcript, self._customer = transcript, customer
        width = self._width()
        laid = (transcript.contact_id, transcript.version, width, customer) if transcript is not None else None
        if laid == self._laid and laid is not None:
            return
        self._laid = laid
        self._lines = _lay_out(transcript, width, customer)
        self.forget_lines()
        self.set_lines_size(Size(width, len(self._lines)))
        self.refresh()
        if self._follow:
            self.call_after_refresh(self._to_end)

    def plain_lines(self) -> list[str]:
        """Every line as text (tests read what the agent would see, scrolled anywhere)."""
        return ["".join(segment.text for segment in line) for line in self._lines]

    def _width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 60)

    def _to_end(self) -> None:
        if self._follow:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    def render_body_line(self, number: int, width: int) -> Strip:
        line = self._lines[number] if 0 <= number < len(self._lines) else []
        base, scroll_x = self.rich_style, round(self.scroll_x)
        return Strip(Segment.apply_style(line, base)).crop_extend(scroll_x, scroll_x + width, base)

    def on_resize(self) -> None:
        self._laid = None
        self.show(self._transcript, self._customer)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.max_scroll_y > 0 and self.scrollable_content_region.height > 0:
            self._follow = new_value >= self.max_scroll_y - 0.5  # scrolled up to read: stay there


def _clock(at: datetime) -> str:
    return f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}"


def _lay_out(transcript: CallTranscript | None, width: int, customer: str | None) -> list[Line]:
    if transcript is None or not transcript.lines:
        return [[Segment(INDENT + part, SYSTEM_STYLE)] for part in wrap(EMPTY, width - len(INDENT))]
    lines: list[Line] = []
    for said in transcript.lines:
        lines += _line(said, width, customer, over=transcript.over)
    return lines


def _line(said: TranscriptionLine, width: int, customer: str | None, *, over: bool = False) -> list[Line]:
    name = (customer if customer and said.role is ParticipantRole.CUSTOMER else None) or said.display_name
    name = strip_controls(name or said.role.value.capitalize()).replace("\n", " ")[: max(10, width - 24)]
    head: Line = [
        Segment(name, NAME_STYLES.get(said.role, BODY_STYLE)),
        Segment("  " + _clock(said.said_at), TIME_STYLE),
    ]
    if not said.final:
        head.append(Segment("  " + (CUT_OFF if over else HEARING), HEARING_STYLE))
    style = BODY_STYLE if said.final else HEARING_STYLE
    body = [[Segment(INDENT + part, style)] for part in wrap(said.text or "…", width - len(INDENT))]
    return [head, *body, []]
