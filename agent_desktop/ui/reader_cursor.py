"""Reader mode's cursor: the terminal's cursor on the focused row of every list and table, which screen readers and
braille displays follow (Textual moves the hidden cursor to `App.cursor_position` after each frame; its text boxes
set it, its lists and tables do not). Looked at ten times a second while reader mode is on; a move repaints one
cell, so the frame that carries the cursor goes out at once."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.geometry import Offset, Region
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, TextArea

from agent_desktop.ui.lines.cursor import CursorView
from agent_desktop.ui.lines.view import LineView
from agent_desktop.ui.textual_compat import option_line

LOOK_S = 0.1


def row_cursor(widget: Widget | None) -> Offset | None:
    """Where the focused row of `widget` is on the screen (its first cell; a text's first line in sight), or None for
    what has no row cursor or sets the cursor itself (a text box)."""
    if widget is None or isinstance(widget, Input | TextArea):
        return None
    region = widget.content_region
    if isinstance(widget, CursorView) and widget.has_cursor:
        y = widget.header_height + widget.cursor_row - round(widget.scroll_y)
        top = widget.header_height
    elif isinstance(widget, LineView):  # a text, not rows (the help): its first line in sight, where reading starts
        top = widget.header_height
        first = round(widget.scroll_y)
        written = (n for n in range(first, first + widget.body_height()) if widget.body_strip(n).text.strip())
        y = top + next(written, first) - first
    elif isinstance(widget, DataTable) and widget.row_count:
        top = widget.header_height if widget.show_header else 0
        y = top + widget.cursor_row - round(widget.scroll_y)
    elif isinstance(widget, OptionList) and widget.highlighted is not None:
        top = 0
        y = option_line(widget, widget.highlighted) - round(widget.scroll_y)
    else:
        return None
    if not top <= y < region.height:
        return None  # scrolled out of sight
    return Offset(region.x, region.y + y)


class ReaderCursor:
    def __init__(self, app: App[Any]) -> None:
        self.app = app

    def start(self) -> None:
        self.app.set_interval(LOOK_S, self.place)

    def place(self) -> None:
        offset = row_cursor(self.app.focused)
        if offset is None or offset == self.app.cursor_position:
            return
        self.app.cursor_position = offset
        self.app.screen.refresh(Region(offset.x, offset.y, 1, 1))
