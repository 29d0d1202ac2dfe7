"""A table for a live floor: only changed rows are re-rendered, only visible rows are drawn.

Textual's DataTable re-renders every visible cell after any update (its caches
are keyed on an update counter) and refreshes once per `update_cell`; with a
thousand agents changing every second that alone costs tens of milliseconds a
paint. Here each row is rendered once into a Strip and kept until that row
changes, and a changed row in view repaints its own line, not the table (Textual
keeps the other lines' output): a row that changed but reads the same repaints
nothing. Owners decide the order (sorting and filtering happen in Python lists)
and post nothing but cells. Keys, the cursor and scrolling are the line kit's
(`ui/lines`): this module is the columns and the rows' cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.style import Style
from rich.text import Span, Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from agent_desktop.ui.lines import Column, CursorView, cut_middle

GAP = "  "


# A row's cells as drawn (text, style, spans): a row whose signature is unchanged is not drawn again.
Signature = tuple[tuple[str, str, tuple[Span, ...]], ...]


def _signature(cells: Sequence[Text]) -> Signature:
    return tuple((c.plain, str(c.style), tuple(c.spans)) for c in cells)


class LiveTable(CursorView, can_focus=True):
    """Rows keyed by string; a fixed header line; a row cursor. A narrow terminal leaves out the columns
    keyed in `NARROW_HIDDEN` (the rows keep every cell).

    The `FLEX` column (a name) gets the width its longest value wants (`want_width`) where the table has it:
    the columns in `YIELDS` are left out first, in that order, before that column is cut; a cut value keeps
    its end ("Technical… — Premium"), where names that start alike differ. The columns in `NAMES` are shortened
    the same way, by whole words; other values are cut with an ellipsis."""

    NARROW_HIDDEN: frozenset[str] = frozenset()
    FLEX: str | None = None
    YIELDS: tuple[str, ...] = ()
    NAMES: frozenset[str] = frozenset()

    DEFAULT_CSS = """
    LiveTable {
        height: auto;
        max-height: 100%;
        scrollbar-size-horizontal: 0;
    }
    LiveTable > .live-table--header {
        text-style: bold;
        color: $text-muted;
    }
    LiveTable > .live-table--cursor {
        background: $surface-lighten-2;
    }
    LiveTable:focus > .live-table--cursor {
        background: $primary 45%;
    }
    """
    COMPONENT_CLASSES = {"live-table--header", "live-table--cursor"}

    cursor_row: reactive[int] = reactive(0, always_update=False, repaint=False)

    class RowHighlighted(Message):
        def __init__(self, table: LiveTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LiveTable:
            return self.table

    class RowSelected(RowHighlighted):
        pass

    def __init__(self, columns: Sequence[Column], *, show_cursor: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self._shown_columns = list(range(len(self.columns)))  # indexes of the columns drawn
        self._widths = [c.width for c in self.columns]
        self._narrow = False
        self._left_out: frozenset[str] = frozenset()  # columns with nothing to say on this floor (`leave_out`)
        self._wanted = 0  # the FLEX column's longest value
        self.show_cursor = show_cursor
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._builders: dict[str, Callable[[], Sequence[Text]]] = {}  # rows to build when first seen
        self._signatures: dict[str, Signature] = {}
        self._order: list[str] = []
        self._index: dict[str, int] = {}
        self._row_strips: dict[tuple[str, bool, bool], Strip] = {}
        self._header: Strip | None = None
        self.content_width = self._width_of(self._shown_columns)
        self.virtual_size = Size(self.content_width, 1)

    def _width_of(self, shown: list[int], widths: list[int] | None = None) -> int:
        widths = widths or self._widths
        return 1 + sum(widths[i] for i in shown) + len(GAP) * (len(shown) - 1)

    def set_narrow(self, narrow: bool) -> None:
        """Draw every column, or (narrow) all but `NARROW_HIDDEN`."""
        self._narrow = narrow
        self._fit()

    def leave_out(self, keys: frozenset[str]) -> None:
        """Columns not drawn whatever the width: those the floor has nothing for (a queue column no queue uses)."""
        if keys != self._left_out:
            self._left_out = keys
            self._fit()

    def want_width(self, width: int) -> None:
        """The FLEX column's longest value, in cells: the width it gets where the table has room."""
        if width != self._wanted:
            self._wanted = width
            self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Which columns are drawn and how wide, for the width the table has now."""
        shown = [
            i
            for i, c in enumerate(self.columns)
            if not (self._narrow and c.key in self.NARROW_HIDDEN) and c.key not in self._left_out
        ]
        widths = [c.width for c in self.columns]
        flex = next((i for i, c in enumerate(self.columns) if c.key == self.FLEX), None)
        room = self.scrollable_content_region.width
        if flex is not None and room > 0:
            widths[flex] = max(self.columns[flex].width, self._wanted)
            for key in self.YIELDS:
                if self._width_of(shown, widths) <= room:
                    break
                shown = [i for i in shown if self.columns[i].key != key]
            over = self._width_of(shown, widths) - room
            if over > 0:
                widths[flex] = max(self.columns[flex].width, widths[flex] - over)
        if shown == self._shown_columns and widths == self._widths:
            return
        self._shown_columns, self._widths = shown, widths
        self.content_width = self._width_of(shown)
        self._row_strips.clear()
        self._header = None
        self._resize()
        self.refresh()

    # --- data -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def keys(self) -> list[str]:
        return list(self._order)

    @property
    def cursor_key(self) -> str | None:
        return self._order[self.cursor_row] if 0 <= self.cursor_row < len(self._order) else None

    def __contains__(self, key: str) -> bool:
        return key in self._cells or key in self._builders

    def cells(self, key: str) -> tuple[Text, ...]:
        self._build(key)
        return self._cells[key]

    def cell(self, key: str, column: str) -> Text:
        return self.cells(key)[self._column_index(column)]

    def _build(self, key: str) -> None:
        builder = self._builders.pop(key, None)
        if builder is not None:
            cells = tuple(builder())
            self._cells[key] = cells
            self._signatures[key] = _signature(cells)

    def set_row_later(self, key: str, build: Callable[[], Sequence[Text]]) -> None:
        """Replace a row by what `build` returns, built only when the row is drawn or read.

        A thousand changed rows cost a thousand dict writes; only the rows in view are built (now, so
        that a row which reads the same as before repaints nothing).
        """
        index = self._index.get(key)
        if index is not None and self.in_view(index):
            self.set_row(key, build())
            return
        self._builders[key] = build
        self._forget_strips(key)
        if index is None:
            self._cells.setdefault(key, ())
            self._index[key] = len(self._order)
            self._order.append(key)
            self._resize()
            self.refresh_body_line(self._index[key])

    def _column_index(self, column: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == column)

    def set_row(self, key: str, cells: Sequence[Text]) -> bool:
        """Store a row's cells (appended at the end if new); True if anything shown changed."""
        self._builders.pop(key, None)
        signature = _signature(cells)
        if self._signatures.get(key) == signature:
            return False
        self._signatures[key] = signature
        self._cells[key] = tuple(cells)
        self._forget_strips(key)
        if key not in self._index:
            self._index[key] = len(self._order)
            self._order.append(key)
            self._resize()
        self.refresh_body_line(self._index[key])
        return True

    def set_cell(self, key: str, column: str, value: Text) -> None:
        cells = list(self._cells[key])
        cells[self._column_index(column)] = value
        self.set_row(key, cells)

    def remove_row(self, key: str) -> None:
        if key not in self:
            return
        self._builders.pop(key, None)
        self._cells.pop(key, None)
        self._signatures.pop(key, None)
        self._forget_strips(key)
        self.set_order([k for k in self._order if k != key])

    def clear(self) -> None:
        self._builders.clear()
        self._cells.clear()
        self._signatures.clear()
        self._row_strips.clear()
        self.set_order([])

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Text]]], widest: str) -> None:
        """Exactly these rows, in this order (a row repaints only if it reads differently), the `widest` column as wide
        as its longest cell allows; hidden while there is none (the flags, the alerts from what was said)."""
        keys = [key for key, _ in rows]
        for gone in set(self.keys) - set(keys):
            self.remove_row(gone)
        for key, cells in rows:
            self.set_row(key, cells)
        self.set_order(keys)
        self.want_width(max((len(self.cell(key, widest).plain) for key in keys), default=0))
        self.display = bool(rows)

    def set_order(self, keys: Iterable[str]) -> None:
        """Show the rows in this order (keys without cells are skipped); the cursor stays on its row."""
        current = self.cursor_key
        self._order = [k for k in keys if k in self]
        self._index = {k: i for i, k in enumerate(self._order)}
        self._resize()
        if current is not None and current in self._index:
            self._set_cursor(self._index[current], announce=False)
        else:
            self._set_cursor(min(self.cursor_row, max(0, len(self._order) - 1)), announce=current is not None)
        self.refresh()

    def _forget_strips(self, key: str) -> None:
        for flags in ((False, False), (False, True), (True, False), (True, True)):
            self._row_strips.pop((key, *flags), None)

    def _resize(self) -> None:
        self.virtual_size = Size(self.content_width, len(self._order) + 1)

    # --- cursor -----------------------------------------------------------------------

    def _set_cursor(self, row: int, *, announce: bool = True) -> None:
        if self.cursor_to(row) or announce:
            self.post_message(self.RowHighlighted(self, self.cursor_key))

    def move_cursor(self, row: int) -> None:
        self._set_cursor(row)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.RowSelected(self, self.cursor_key))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- drawing ------------------------------------------------------------------

    def row_text(self, key: str) -> str:
        """A row as plain text (what a user reads), for tests."""
        return " | ".join(c.plain for c in self.cells(key))

    def drawn_text(self, key: str) -> str:
        """A row as drawn at the table's width now (columns left out, values cut), for tests."""
        return self._line(self.cells(key), Style()).text

    def _line(self, cells: Sequence[Text], style: Style) -> Strip:
        line = Text(" ", style=style, end="", no_wrap=True)
        for n, i in enumerate(i for i in self._shown_columns if i < len(cells)):
            column, cell, width = self.columns[i], cells[i], self._widths[i]
            if n:
                line.append(GAP)
            text = cut_middle(cell, width) if column.key == self.FLEX or column.key in self.NAMES else cell.copy()
            text.truncate(width, overflow="ellipsis")
            gap = width - text.cell_len
            if gap > 0:
                if column.justify == "right" or cell.justify == "right":
                    text.pad_left(gap)
                else:
                    text.pad_right(gap)
            line.append_text(text)
        segments = list(line.render(self.app.console))
        return Strip(segments, line.cell_len)

    @property
    def header_height(self) -> int:
        return 1

    def render_header_line(self, y: int) -> Strip:
        base = self.rich_style
        if self._header is None:
            header_style = self.get_component_rich_style("live-table--header")
            self._header = self._line([Text(c.label, justify=c.justify) for c in self.columns], header_style)
        return self._header.apply_style(base).crop_extend(0, self.size.width, base).simplify()

    def body_strip(self, number: int) -> Strip:
        """Rows are cached by key (a row keeps its strip when the order changes), not by line number."""
        width = self.size.width
        base = self.rich_style
        if number >= len(self._order):
            return Strip.blank(width, base)
        key = self._order[number]
        is_cursor = self.show_cursor and number == self.cursor_row
        cache_key = (key, is_cursor, self.has_focus)
        strip = self._row_strips.get(cache_key)
        if strip is None:
            style = self.get_component_rich_style("live-table--cursor") if is_cursor else Style()
            strip = self._line(self.cells(key), style)
            self._row_strips[cache_key] = strip
        # The widget's own style goes under the row when drawn, never into the cache: it can
        # change after the row was built (styles applied later, a theme change).
        return strip.apply_style(base).crop_extend(0, width, base).simplify()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_strips.clear()
        self._header = None
