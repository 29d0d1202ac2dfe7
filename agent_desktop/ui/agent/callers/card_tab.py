"""What a tab of the customer card holds (a table of cells, or label/value fields) and how it is laid out in lines
of segments, once per width (`CardTabs` draws them: agent_desktop/ui/agent/callers/card_tabs.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style

from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.ui.lines import Column, Line, fit, wrap

LABEL_WIDTH = 15  # a text tab's labels ("Balance due")


@dataclass(frozen=True)
class Cell:
    text: str  # one line, already cut to its limit
    style: str = ""  # a component class's suffix: "bold", "dim", "warning"; "" for plain


@dataclass
class Tab:
    """One tab: a table (columns and rows, a cursor on one row) or label/value fields."""

    key: str  # "history"
    title: str  # "2 History"
    columns: tuple[Column, ...] = ()  # none: a text tab of fields
    zebra: bool = False
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    message: str = ""  # said instead of fields ("No account on record.")
    cursor: int = 0
    place: tuple[float, float] = (0.0, 0.0)  # where it was scrolled to when another tab was shown
    laid: tuple[int, list[Line]] | None = None  # (width, lines) at the width last drawn

    @property
    def is_table(self) -> bool:
        return bool(self.columns)

    def clear(self) -> None:
        self.rows, self.fields, self.message = [], [], ""
        self.cursor, self.place, self.laid = 0, (0.0, 0.0), None


# --- laying out a tab ---------------------------------------------------------------------------


def header_line(tab: Tab) -> Line:
    return [Segment(" " + fit(column.label, column.width) + " ") for column in tab.columns]


def table_lines(tab: Tab, style: Callable[[str], Style]) -> list[Line]:
    lines: list[Line] = []
    even = style("even-row")
    for number, row in enumerate(tab.rows):
        line: Line = []
        shade = even if tab.zebra and number % 2 else None
        for column, cell in zip(tab.columns, row, strict=False):
            cell_style = style(cell.style) if cell.style else None
            text = " " + fit(strip_controls(cell.text), column.width) + " "
            if shade is not None:
                cell_style = shade + cell_style if cell_style else shade
            line.append(Segment(text, cell_style))
        lines.append(line)
    return lines


def field_lines(tab: Tab, width: int, style: Callable[[str], Style]) -> list[Line]:
    if tab.message:
        return [[Segment(part, style("dim"))] for part in wrap(tab.message, width)]
    label_style = style("label")
    value_width = max(10, width - LABEL_WIDTH)
    lines: list[Line] = []
    for label, value in tab.fields:
        for number, part in enumerate(wrap(value, value_width)):
            head = fit(label, LABEL_WIDTH) if number == 0 else " " * LABEL_WIDTH
            lines.append([Segment(head, label_style), Segment(part)])
    return lines
