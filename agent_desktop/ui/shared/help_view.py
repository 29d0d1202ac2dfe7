"""The help screen's keys drawn with Textual's line API: one widget, its lines laid out once per width as styled
segments (key, command, what it does, and for a key that does not apply now, why not), only the visible ones
turned into strips. The grid of ~300 `Static`s it replaces was laid out anew at every open (bench_help).

Text is literal (segments are never parsed as markup; control characters removed), as everywhere a command's
words or a backend's reason are shown. Styles come from the widget's component classes, so the theme's colours
apply; the screen's .tcss may restyle them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Unpack

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.geometry import Size
from textual.strip import Strip

from agent_desktop.ui.keys.key_help import HelpRow, HelpSection
from agent_desktop.ui.lines import Line, LineView, pad, plain, scroll_bindings, wrap

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

GAP = "  "  # between columns: two spaces, so a column's text never runs into the next one
KEY_WIDTH = (4, 12)  # the keys' column: as wide as its widest keys, within these bounds
LABEL_WIDTH = (8, 20)
MIN_DESCRIPTION = 24


class HelpView(LineView, can_focus=True):
    """Sections of keys: each row is the keys, the command and what it does; a row that does not apply now is
    dimmed and says, under its description, when it would."""

    COMPONENT_CLASSES = {
        "help-view--section",
        "help-view--key",
        "help-view--label",
        "help-view--description",
        "help-view--not-now",
        "help-view--why",
    }

    BINDINGS: ClassVar[list[BindingType]] = [*scroll_bindings("Top", "Bottom")]

    DEFAULT_CSS = """
    HelpView {
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;  /* the width lines are laid out at does not change with the scrollbar */
        overflow-x: hidden;
    }
    HelpView > .help-view--section { color: $text-primary; text-style: bold underline; }
    HelpView > .help-view--key { color: $text-accent; text-style: bold; }
    HelpView > .help-view--label { text-style: bold; }
    HelpView > .help-view--description { }
    HelpView > .help-view--not-now { color: $text-muted; }
    HelpView > .help-view--why { color: $text-warning; text-style: italic; }
    """

    def __init__(self, sections: list[HelpSection], **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self.sections = sections
        self._width: int | None = None  # the width the lines were laid out at
        self._lines: list[Line] = []

    # --- what tests and the screen read ---------------------------------------------------

    def plain_lines(self) -> list[str]:
        """Every line as text, scrolled anywhere (what a user reads, scrolling)."""
        self._ensure_laid_out()
        return [plain(line) for line in self._lines]

    def line_count(self) -> int:
        self._ensure_laid_out()
        return len(self._lines)

    # --- layout ---------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(MIN_DESCRIPTION + 20, self.scrollable_content_region.width or self.size.width or 80)

    def _ensure_laid_out(self) -> None:
        width = self._text_width()
        if width == self._width:
            return
        self._width = width
        self._lines = self._lay_out(width)
        self.forget_lines()
        self.virtual_size = Size(width, len(self._lines))

    def _styles(self) -> dict[str, Style]:
        return {
            name.removeprefix("help-view--"): self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES
        }

    def _lay_out(self, width: int) -> list[Line]:
        styles = self._styles()
        rows = [row for section in self.sections for row in section.rows]
        key_width = _bounded(max((cell_len(row.keys) for row in rows), default=0), KEY_WIDTH)
        label_width = _bounded(max((cell_len(row.label) for row in rows), default=0), LABEL_WIDTH)
        description_width = max(MIN_DESCRIPTION, width - key_width - label_width - 2 * len(GAP))
        lines: list[Line] = []
        for section in self.sections:
            lines.append([])  # a blank line above each section's title
            lines += [[Segment(part, styles["section"])] for part in wrap(section.title, width)]
            for row in section.rows:
                lines += _row_lines(row, styles, key_width, label_width, description_width)
        return lines

    # --- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._ensure_laid_out()
        return super().render_line(y)

    def render_body_line(self, number: int, width: int) -> Strip:
        line = self._lines[number] if 0 <= number < len(self._lines) else []
        base = self.rich_style
        return Strip(Segment.apply_style(line, base)).crop_extend(0, width, base)

    def on_resize(self) -> None:
        self._ensure_laid_out()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width = None  # the theme changed: lay out again with its colours


def _bounded(value: int, bounds: tuple[int, int]) -> int:
    return min(bounds[1], max(bounds[0], value))


def _row_lines(
    row: HelpRow, styles: dict[str, Style], key_width: int, label_width: int, description_width: int
) -> list[Line]:
    """One command: its columns wrapped side by side, the reason it does not apply under its description."""
    now = row.applies
    dim = styles["not-now"]
    keys = wrap(row.keys, key_width)
    labels = wrap(row.label, label_width)
    what: list[tuple[str, Style]] = [
        (part, styles["description"] if now else dim) for part in wrap(row.description, description_width)
    ]
    if not now:
        what += [(part, styles["why"]) for part in wrap(f"Not now: {row.why_not}.", description_width)]
    key_style, label_style = (styles["key"], styles["label"]) if now else (dim, dim)
    lines: list[Line] = []
    for index in range(max(len(keys), len(labels), len(what))):
        key = keys[index] if index < len(keys) else ""
        label = labels[index] if index < len(labels) else ""
        line: Line = [
            Segment(pad(key, key_width), key_style),
            Segment(GAP),
            Segment(pad(label, label_width), label_style),
            Segment(GAP),
        ]
        if index < len(what):
            text, style = what[index]
            line.append(Segment(text, style))
        lines.append(line)
    return lines
