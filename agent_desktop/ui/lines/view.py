"""A scrolled view of lines drawn with Textual's line API (`ScrollView.render_line`): only the lines in view become
strips, kept by line number (scrolling back draws nothing again) until the lines, the width or the style change.
toolong's `LogLines` works the same way; one widget per line or per message gets slow past a few hundred.

The keys every list has scroll it (up and down, a page, the two ends), not shown in the footer. Jumps are
immediate (no animation): the next frame shows the new place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Unpack

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    from agent_desktop.ui.lines.widget_options import WidgetOptions

Line = list[Segment]


def scroll_bindings(first: str = "First", last: str = "Last", *, step: str = "line") -> list[Binding]:
    """`step`: the action a line up or down runs (`line` scrolls, `move` moves a cursor); `page(±1)` and
    `edge(0|1)` are the page and the two ends."""
    return [
        Binding("up", f"{step}(-1)", "Up", show=False),
        Binding("down", f"{step}(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", first, show=False),
        Binding("end", "edge(1)", last, show=False),
    ]


class LineView(ScrollView):
    """`header_height` fixed lines on top (a table's titles, a tab bar) and the body's lines scrolled under them.

    A subclass says what a line is: `render_body_line(number, width)` for the body's line `number` (0 is the
    first line under the header), `render_header_line(y)` for a header's. The body's strips are cached here by
    line number; a subclass calls `forget_lines()` when its lines change, `refresh_body_line(n)` when one does.
    """

    BINDINGS: ClassVar[list[BindingType]] = [*scroll_bindings()]
    MAX_STRIPS = 500  # a strip per line in view is all that is needed; more is a long scroll's leftovers

    def __init__(self, *args: Widget, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(*args, **kwargs)
        self._line_strips: dict[int, Strip] = {}

    # --- what a subclass says ---------------------------------------------------------------

    @property
    def header_height(self) -> int:
        return 0

    def line_width(self) -> int:
        """The cells a body line is drawn in."""
        return self.scrollable_content_region.width

    def render_header_line(self, y: int) -> Strip:
        return Strip.blank(self.line_width(), self.rich_style)

    def render_body_line(self, number: int, width: int) -> Strip:
        raise NotImplementedError

    # --- the body's place ---------------------------------------------------------------------

    def body_height(self) -> int:
        """The body's lines in view."""
        return max(1, self.scrollable_content_region.height - self.header_height)

    def page_height(self) -> int:
        """A page up or down: the lines in view less one, so the last line read stays in sight."""
        return max(1, self.body_height() - 1)

    def in_view(self, number: int) -> bool:
        top = round(self.scroll_y)
        return top <= number < top + self.body_height()

    def keep_in_view(self, number: int) -> None:
        """Scroll the least that brings body line `number` into view."""
        top, height = round(self.scroll_y), self.body_height()
        if number < top:
            self.scroll_to(y=number, animate=False, immediate=True)
        elif number >= top + height:
            self.scroll_to(y=number - height + 1, animate=False, immediate=True)

    # --- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        header = self.header_height
        if y < header:
            return self.render_header_line(y)
        return self.body_strip(round(self.scroll_y) + y - header)

    def body_strip(self, number: int) -> Strip:
        width = self.line_width()
        strip = self._line_strips.get(number)
        if strip is None or strip.cell_length != width:
            if len(self._line_strips) > self.MAX_STRIPS:
                self._line_strips.clear()
            strip = self._line_strips[number] = self.render_body_line(number, width)
        return strip

    def set_lines_size(self, size: Size) -> None:
        """The lines' extent (`virtual_size`). Lines added at the end under a scrollbar already shown change only
        the scroll range: the view and its scrollbar repaint, with no layout of the screen (a new `virtual_size`
        asks for one, and on a busy screen that is most of the cost of a new line)."""
        old = self.virtual_size
        if size == old:
            return
        grown_under_scrollbar = (
            size.width == old.width
            and size.height > old.height
            and self.show_vertical_scrollbar
            and old.height > self.scrollable_content_region.height
        )
        if not grown_under_scrollbar:
            self.virtual_size = size
            return
        self.set_reactive(LineView.virtual_size, size)
        self.vertical_scrollbar.window_virtual_size = size.height
        self.refresh()

    def forget_lines(self, first: int = 0) -> None:
        """The lines from `first` on changed (or how they look): draw them again when next painted."""
        if first <= 0:
            self._line_strips.clear()
            return
        for number in [number for number in self._line_strips if number >= first]:
            del self._line_strips[number]

    def refresh_body_line(self, number: int) -> None:
        """Body line `number` changed: repaint it alone if it is in view (the others keep their output)."""
        self._line_strips.pop(number, None)
        if self.in_view(number):
            y = number - round(self.scroll_y) + self.header_height
            self.refresh(Region(0, y, self.size.width, 1))

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self._line_strips.clear()  # a line's strip is cut at the columns in view

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_strips.clear()

    # --- keys -------------------------------------------------------------------------------------

    def action_line(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step * self.page_height(), animate=False, immediate=True)

    def action_edge(self, end: int) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False, immediate=True)
