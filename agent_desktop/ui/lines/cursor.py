"""A row cursor over a `LineView`'s body (body line n is row n): up and down move it, page up and down a page,
home and end to the ends, enter or a double click select its row; the view scrolls the least that keeps it in
sight. DataTable's cursor keys, on a view that draws only the rows in view."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType

from agent_desktop.ui.lines.view import LineView, scroll_bindings


class CursorView(LineView):
    """A subclass keeps the cursor (`cursor_row`) and says how many rows there are (`row_count`) and what selecting
    one does (`action_select`). Where `has_cursor` is False (a text, not rows) the keys scroll as in a `LineView`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *scroll_bindings(step="move"),
        Binding("enter", "select", "Select", show=False),
    ]

    @property
    def has_cursor(self) -> bool:
        return True

    cursor_row: int  # the row the cursor is on (a subclass keeps it: a reactive, a tab's field)

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def move_cursor(self, row: int) -> None:
        """The cursor onto `row` (kept within the rows): its old and new lines repainted, kept in view."""
        self.cursor_to(row)

    def cursor_to(self, row: int) -> bool:
        """As `move_cursor`; True if the cursor moved."""
        count = self.row_count
        row = max(0, min(row, count - 1)) if count else 0
        old = self.cursor_row
        if row != old:
            self.cursor_row = row
            self.refresh_body_line(old)
            self.refresh_body_line(row)
        self.keep_in_view(row)
        return row != old

    def action_move(self, step: int) -> None:
        if self.has_cursor:
            self.move_cursor(self.cursor_row + step)
        else:
            self.action_line(step)

    def action_page(self, step: int) -> None:
        if self.has_cursor:
            self.move_cursor(self.cursor_row + step * self.page_height())
        else:
            super().action_page(step)

    def action_edge(self, end: int) -> None:
        if self.has_cursor:
            self.move_cursor(self.row_count - 1 if end else 0)
        else:
            super().action_edge(end)

    def action_select(self) -> None:
        pass

    def row_at(self, y: int) -> int | None:
        """The row at line `y` of the view, if there is one."""
        row = round(self.scroll_y) + y - self.header_height
        return row if y >= self.header_height and 0 <= row < self.row_count else None

    def on_click(self, event: events.Click) -> None:
        row = self.row_at(event.y) if self.has_cursor else None
        if row is not None:
            self.move_cursor(row)
            if event.chain >= 2:
                self.action_select()
