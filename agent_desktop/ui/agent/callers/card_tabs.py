"""The customer card's tabs (cases, history, orders, account, profile) drawn with Textual's line API: one widget
for the tab bar, the tables and the text, instead of a `TabbedContent` of `DataTable`s and `Static`s whose
per-cell rendering, tab restyles and layout were most of a screen pop's time.

A tab's lines are laid out once per width, when it is first shown (a screen pop lays out only the tab in front),
and kept until its content changes; only the visible lines become strips, and moving the cursor repaints its two
lines. The vertical scrollbar is drawn here, in the last column, as Textual draws its own (the same glyphs and
colours; dragged, clicked above or below its thumb, the wheel): Textual's is a widget of its own, placed by a
layout of the whole screen each time it comes or goes or its thumb changes size, which a record that overflows
the tab after one that did not (or after the empty card) asked for at most screen pops. Text is literal
(segments are never parsed as markup; control characters are removed by the card before it gets here, and again
by `wrap`). Styles come from component classes, so the theme's colours apply. The cursor, its keys and the
strips' cache are the line kit's (`ui/lines`, `CursorView`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from math import ceil
from typing import TYPE_CHECKING, Unpack

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.ui.agent.callers.card_tab import Tab, field_lines, header_line, table_lines
from agent_desktop.ui.lines import CursorView, Line, plain, scroll_bindings, to_strip

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions


class CardTabs(CursorView, can_focus=True):
    """A tab bar and the tab in front: keys move the cursor of a table (enter selects its row) or scroll a text;
    left and right scroll a table wider than the card."""

    class RowSelected(Message):
        """Enter (or a click) on a table's row."""

        def __init__(self, tab: str, row: int) -> None:
            super().__init__()
            self.tab = tab
            self.row = row

    COMPONENT_CLASSES = {
        "card-tabs--tab",
        "card-tabs--tab-active",
        "card-tabs--underline",
        "card-tabs--underline-active",
        "card-tabs--header",
        "card-tabs--even-row",
        "card-tabs--cursor",
        "card-tabs--label",
        "card-tabs--bold",
        "card-tabs--dim",
        "card-tabs--warning",
    }

    BINDINGS = [
        *scroll_bindings(step="move"),
        Binding("left", "sideways(-4)", "Scroll left", show=False),
        Binding("right", "sideways(4)", "Scroll right", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    DEFAULT_CSS = """
    CardTabs {
        overflow: hidden hidden;  /* the vertical scrollbar is drawn by the widget (render_line) */
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 0;
        background: $surface;
        & > .card-tabs--tab { color: $foreground 50%; }
        & > .card-tabs--tab-active { color: $foreground; }
        & > .card-tabs--underline { color: $foreground 10%; }
        & > .card-tabs--underline-active { color: $block-cursor-background; }
        & > .card-tabs--header { text-style: bold; background: $panel; color: $foreground; }
        & > .card-tabs--even-row { background: $surface-lighten-1 50%; }
        & > .card-tabs--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .card-tabs--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:dark > .card-tabs--even-row { background: $surface-darken-1 40%; }
        & > .card-tabs--label { color: $foreground 60%; }
        & > .card-tabs--bold { text-style: bold; }
        & > .card-tabs--dim { color: $foreground 60%; }
        & > .card-tabs--warning { color: $text-warning; }
    }
    """

    def __init__(self, tabs: list[Tab], **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self.tabs: dict[str, Tab] = {tab.key: tab for tab in tabs}
        self._active = tabs[0].key
        self._header: list[Strip] | None = None
        self._styles: dict[str, Style] | None = None
        self._base: Style | None = None  # `rich_style` walks the ancestors: once per style update, not per line
        # No record: the widget stays in the layout (hiding it, and showing it at the next pop, meant a layout of
        # the screen at each pop) and draws the card's own background, nothing else.
        self._empty = True
        self._blank: Strip | None = None
        self._bar_shown = False  # the content overflows the height: the last column is the scrollbar
        self._bar: list[Strip] | None = None  # its cells, one per row, at this scroll position
        self._bar_look = ""  # "" , "hover" or "active": as Textual's scrollbar under the mouse and dragged
        self._grab: tuple[int, float] | None = None  # (screen y, scroll_y) where the thumb was grabbed
        self._later: dict[str, Callable[[], Tab]] = {}  # tabs filled when first shown or read (fill)

    # --- what the card sets ---------------------------------------------------------------

    @property
    def active(self) -> str:
        return self._active

    @property
    def tab(self) -> Tab:
        return self.tabs[self._active]

    def show(self, key: str) -> None:
        """Bring tab `key` to the front, where it was left."""
        if key not in self.tabs or key == self._active:
            return
        self.tab.place = (self.scroll_x, self.scroll_y)
        self._active = key
        self._fill_now(key)
        self._new_content()
        x, y = self.tab.place
        self.scroll_to(x=x, y=y, animate=False, immediate=True, force=True)

    def fill(self, contents: Mapping[str, Tab | Callable[[], Tab]], front: str | None = None) -> None:
        """New content for the tabs named (the others are emptied), each from its start; `front`: the tab to
        bring to the front with it (laid out once, not once for the old content and again for the new). A tab's
        content may be given as a function that makes it: called when the tab is first shown or read, so that a
        screen pop makes the rows of the tab in front only. No contents: the widget shows nothing (no tab bar
        either) until the next fill."""
        if front in self.tabs:
            self._active = front
        self._later.clear()
        for key, tab in self.tabs.items():
            new = contents.get(key)
            tab.clear()
            if callable(new):
                self._later[key] = new
            elif new is not None:
                tab.rows, tab.fields, tab.message, tab.cursor = new.rows, new.fields, new.message, new.cursor
        self._fill_now(self._active)
        emptied = not contents and not self._empty
        self._empty = not contents
        self._new_content()
        if emptied and self.has_focus:
            self.blur()  # as Textual does with a focused widget that is hidden: nothing here takes keys now
        self.scroll_to(x=0, y=0, animate=False, immediate=True, force=True)

    def _fill_now(self, key: str) -> None:
        make = self._later.pop(key, None)
        if make is not None:
            new, tab = make(), self.tabs[key]
            tab.rows, tab.fields, tab.message, tab.cursor = new.rows, new.fields, new.message, new.cursor

    def refill(self, key: str, new: Tab | Callable[[], Tab]) -> None:
        """New content for one tab where the agent left it (its cursor and scroll kept, within the new rows), the
        others untouched: a timeline's next page on the tab being read. A tab not made yet stays so until shown."""
        if key not in self.tabs or self._empty:
            return
        if key in self._later or (callable(new) and key != self._active):
            self._later[key] = new if callable(new) else (lambda: new)
            self.tabs[key].laid = None
            return
        made, tab = new() if callable(new) else new, self.tabs[key]
        tab.rows, tab.fields, tab.message, tab.laid = made.rows, made.fields, made.message, None
        tab.cursor = max(0, min(tab.cursor, len(tab.rows) - 1))
        if key == self._active:
            self._new_content()

    @property
    def empty(self) -> bool:
        """Nothing shown: no record on the card."""
        return self._empty

    @property
    def cursor_row(self) -> int:
        return self.tab.cursor

    @cursor_row.setter
    def cursor_row(self, row: int) -> None:
        self.tab.cursor = row

    @property
    def row_count(self) -> int:
        return len(self.tab.rows)

    @property
    def has_cursor(self) -> bool:
        return self.tab.is_table

    def text(self, key: str | None = None) -> str:
        """A tab's content as text: a table's rows with their whole cells (" | " between them, as a table's cells
        read before the column cut them), or a text tab's lines."""
        self._fill_now(key or self._active)
        tab = self.tabs[key or self._active]
        if tab.is_table:
            return "\n".join(" | ".join(strip_controls(cell.text) for cell in row) for row in tab.rows)
        return "\n".join(self.plain_lines(tab.key))

    def plain_lines(self, key: str | None = None) -> list[str]:
        """A tab's lines as text, its column titles first (what a user reads, scrolling it)."""
        self._fill_now(key or self._active)
        tab = self.tabs[key or self._active]
        header = [plain(header_line(tab))] if tab.is_table else []
        return header + [plain(line) for line in self._lines(tab)]

    # --- layout -----------------------------------------------------------------------------

    def _width(self) -> int:
        """The columns the content gets: all but the scrollbar's."""
        return max(20, (self.scrollable_content_region.width or self.size.width or 60) - self._bar_shown)

    def _style(self, name: str) -> Style:
        if self._styles is None:
            try:
                self._styles = {
                    n.removeprefix("card-tabs--"): self.get_component_rich_style(n) for n in self.COMPONENT_CLASSES
                }
            except KeyError:  # not styled yet, or no longer (filled as its desk starts or closes): plain until
                return Style()  # it is, when notify_style_update lays the lines out again
        return self._styles[name]

    def _lines(self, tab: Tab) -> list[Line]:
        width = self._width()
        # A table's lines are its rows, whatever the width (its columns have theirs): laid out once.
        if tab.laid is None or (tab.laid[0] != width and not tab.is_table):
            tab.laid = (
                width,
                table_lines(tab, self._style) if tab.is_table else field_lines(tab, width, self._style),
            )
        return tab.laid[1]

    @property
    def header_height(self) -> int:
        """The tab bar, its underline and a table's column titles."""
        return 3 if self.tab.is_table else 2

    def line_width(self) -> int:
        return self.scrollable_content_region.width - (self._bar_shown and not self._empty)

    def _new_content(self) -> None:
        """The tab in front, or its content, changed: size the scrolling for it and repaint."""
        tab = self.tab
        height = self.scrollable_content_region.height
        self._bar_shown = False
        lines = self._lines(tab)
        if not self._empty and height and self.header_height + len(lines) > height:
            self._bar_shown = True  # and the lines in one column less (a text tab's may wrap to more)
            lines = self._lines(tab)
        content_width = sum(column.width + 2 for column in tab.columns) if tab.is_table else 0
        self.forget_lines()
        self._header = None
        self._bar = None
        if self._empty:  # it keeps its width (the next record's is most often as wide), and scrolls no more
            old = self.virtual_size
            self._set_virtual_size(Size(old.width, min(old.height, height)))
        else:
            width = max(content_width, self._width()) + self._bar_shown
            self._set_virtual_size(Size(width, self.header_height + len(lines)))
        self.can_focus = not self._empty
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """A new scrollable size, without a layout of the screen (Textual's `virtual_size` asks for one at every
        change, to place its scrollbars: there are none), the scroll position kept within it."""
        if size == self.virtual_size:
            return
        self.set_reactive(CardTabs.virtual_size, size)
        if self.scroll_x > self.max_scroll_x or self.scroll_y > self.max_scroll_y:
            x, y = min(self.scroll_x, self.max_scroll_x), min(self.scroll_y, self.max_scroll_y)
            self.scroll_to(x=x, y=y, animate=False, immediate=True, force=True)

    @property
    def allow_vertical_scroll(self) -> bool:
        """The wheel scrolls what overflows (Textual allows it only beside a scrollbar of its own)."""
        return self.max_scroll_y > 0 and not self.disabled

    @property
    def allow_horizontal_scroll(self) -> bool:
        return self.max_scroll_x > 0 and not self.disabled

    def on_resize(self) -> None:
        self._new_content()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = self._base = self._blank = (
            None  # the theme or focus changed: styles again, lines laid out with them
        )
        for tab in self.tabs.values():
            tab.laid = None
        self._header = None
        self._bar = None

    # --- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self._base is None:
            self._base = self.rich_style
        if self._empty:
            width = self.scrollable_content_region.width
            if self._blank is None or self._blank.cell_length != width:
                # The card's background, not this widget's: as if it were not there.
                parent = self.parent
                self._blank = Strip.blank(width, parent.rich_style if isinstance(parent, Widget) else self._base)
            return self._blank
        strip = super().render_line(y)
        bar = self._bar_strips() if self._bar_shown else None
        return Strip.join([strip, bar[y]]) if bar is not None and y < len(bar) else strip

    def render_header_line(self, y: int) -> Strip:
        if self._header is None:
            assert self._base is not None
            self._header = self._header_strips(self.line_width(), self._base)
        return self._header[y]

    def render_body_line(self, number: int, width: int) -> Strip:
        base = self._base or self.rich_style
        lines = self._lines(self.tab)
        line = lines[number] if 0 <= number < len(lines) else []
        post = self._style("cursor") if self.tab.is_table and number == self.tab.cursor and lines else None
        return to_strip(Segment.apply_style(line, base, post), round(self.scroll_x), width, base)

    def _header_strips(self, width: int, base: Style) -> list[Strip]:
        tabs: Line = []
        under: Line = []
        for tab in self.tabs.values():
            label = f" {tab.title} "
            active = tab.key == self._active
            tabs.append(Segment(label, self._style("tab-active" if active else "tab")))
            under.append(Segment("━" * cell_len(label), self._style("underline-active" if active else "underline")))
        filled = max(0, width - sum(segment.cell_length for segment in under))
        under.append(Segment("━" * filled, self._style("underline")))
        strips = [to_strip(Segment.apply_style(line, base), 0, width, base) for line in (tabs, under)]
        if self.tab.is_table:
            header = Segment.apply_style(header_line(self.tab), base, self._style("header"))
            strips.append(to_strip(header, round(self.scroll_x), width, base))
        return strips

    def _bar_strips(self) -> list[Strip]:
        """The vertical scrollbar's cells, top to bottom: Textual's own drawing (`ScrollBarRender`), in the colours
        its scrollbar takes from this widget's styles, without the actions Textual's binds to its cells."""
        if self._bar is None:
            styles, look = self.styles, self._bar_look
            background, color = {
                "hover": (styles.scrollbar_background_hover, styles.scrollbar_color_hover),
                "active": (styles.scrollbar_background_active, styles.scrollbar_color_active),
            }.get(look, (styles.scrollbar_background, styles.scrollbar_color))
            if background.a < 1:
                background = self.background_colors[0] + background
            color = background + color
            height = self.scrollable_content_region.height
            virtual = self.virtual_size.height
            window = height if height < virtual and self.screen.styles.scrollbar_color.a else 0
            cells = ScrollBarRender.render_bar(
                size=height,
                virtual_size=ceil(virtual),
                window_size=window,
                position=self.scroll_y,
                thickness=1,
                vertical=True,
                back_color=background.rich_color,
                bar_color=color.rich_color,
            )
            plain = [
                Style(color=s.color, bgcolor=s.bgcolor, reverse=s.reverse)
                for s in (c.style or Style.null() for c in cells.segments)
            ]
            self._bar = [
                Strip([Segment(cell.text, style)], 1) for cell, style in zip(cells.segments, plain, strict=True)
            ]
        return self._bar

    def _thumb(self) -> tuple[int, int]:
        """The rows the scrollbar's thumb covers (from, to)."""
        height, virtual = self.scrollable_content_region.height, self.virtual_size.height
        size = max(1, height * height / virtual)
        top = (height - size) * (self.scroll_y / max(1, virtual - height))
        return int(top), ceil(top + size)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._bar = None

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self._header = None

    # --- keys and the mouse -------------------------------------------------------------------

    def action_sideways(self, step: int) -> None:
        self.scroll_to(x=self.scroll_x + step, animate=False, immediate=True)

    def action_select(self) -> None:
        if self.tab.is_table and self.tab.rows:
            self.post_message(self.RowSelected(self._active, self.tab.cursor))

    def _over_bar(self, x: int) -> bool:
        return self._bar_shown and not self._empty and x == self.scrollable_content_region.width - 1

    def _look(self, look: str) -> None:
        if look != self._bar_look:
            self._bar_look, self._bar = look, None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """On the scrollbar, as on Textual's: the thumb is grabbed; above or below it, a page up or down."""
        if not self._over_bar(event.x):
            return
        event.stop()
        top, bottom = self._thumb()
        if event.y < top:
            self.scroll_page_up()
        elif event.y >= bottom:
            self.scroll_page_down()
        else:
            self._grab = (event.screen_y, self.scroll_y)
            self.capture_mouse()
            self._look("active")

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._grab is None:
            self._look("hover" if self._over_bar(event.x) else "")
            return
        event.stop()
        grabbed_y, grabbed_scroll = self._grab
        height = self.scrollable_content_region.height
        self.scroll_to(
            y=grabbed_scroll + (event.screen_y - grabbed_y) * (self.virtual_size.height / height), animate=False
        )

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._grab is not None:
            event.stop()
            self.release_mouse()

    def on_mouse_release(self) -> None:
        self._grab = None
        self._look("")

    def on_leave(self) -> None:
        if self._grab is None:
            self._look("")

    def on_click(self, event: events.Click) -> None:
        """The tab bar's titles bring their tab to the front; a table's rows are the kit's (`CursorView`)."""
        if self._empty or self._over_bar(event.x):
            event.prevent_default()
            return
        if event.y == 0:  # the tab bar
            event.prevent_default()
            x = 0
            for tab in self.tabs.values():
                x += cell_len(tab.title) + 2
                if event.x < x:
                    self.show(tab.key)
                    return
