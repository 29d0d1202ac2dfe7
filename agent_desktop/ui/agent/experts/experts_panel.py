"""Internal experts with live presence: free people first, searchable, filtered by skill,
those suited to the current contact marked ★ and listed first within their presence.

The panel draws the desk's expert directory (set by the screen, which calls `directory_changed` after
each change: attributes down); it reports searches, the expert chosen (Enter) and requested actions
(messages up). Rows are updated in place when the order holds, and redrawn at most every 0.25 s; the
titles (suggested skills, how many are free) change with the rows they describe.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING, Unpack

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input

from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.agent_desk.experts.experts import matching_skills
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Expert
from agent_desktop.ui.agent.experts.presence_labels import PRESENCE_LABELS, activity_words
from agent_desktop.ui.lines.column_fit import fitted_widths, room_for_cells
from agent_desktop.ui.plain_text import cell, literal_title
from agent_desktop.ui.textual_compat import drop_stale_table_renders, set_column_widths

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

# Who, where and what they know first, so that a narrow panel still shows them: presence is the symbol in
# the first column (a symbol per presence, not only a colour) and its word leads the last, with the status.
# The widths are the most each column takes; `column_widths` fits them to the panel.
COLUMNS = (("", 1), ("Name", 20), ("Department", 12), ("Skills", 19), ("Presence", 44))
# The least each column gets before the table scrolls sideways: a name's 14 cells, every presence word whole (the
# longest, "Available (idle)", 16: at 120 columns "Do not disturb" was cut at 9), "Department" whole, the skills begun.
LEAST_WIDTHS = (1, 14, 10, 7, max(len(word) for _, word, _ in PRESENCE_LABELS.values()))
# Who gets the room beyond the least, first to last: the name whole, then what they know, then where, then status.
GROWS_FIRST = (1, 3, 2, 4)
SUGGESTED = "★ "
REPLY_MARK = "↩ "  # their last reply (not ✉: that is the email channel's symbol)
RENDER_INTERVAL_S = 0.25
REORDER_DELAY_S = 0.15


class ExpertSearch(Input):
    """The experts' search: focused by `/`, its words all selected (a new search replaces them); back up from the
    results (`go_on`), the cursor after them, to go on typing."""

    def go_on(self) -> None:
        self.select_on_focus = False  # for this focus only: back at the next blur
        self.cursor_position = len(self.value)
        self.focus()

    def on_blur(self) -> None:
        self.select_on_focus = True


class ExpertTable(DataTable[Text]):
    """The experts found: `↑` on the first row goes back up to the search, as `↓` in the search came down."""

    class PassedTheTop(Message):
        """`↑` on the first row (or on an empty list)."""

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.PassedTheTop())
        else:
            super().action_cursor_up()


class ExpertsPanel(Vertical):
    BORDER_TITLE = "Experts"
    BINDINGS = [
        Binding("slash", "search", "Find expert", show=False),
        Binding("down", "results", "Results", show=False),  # from the search box (the list has its own ↓)
        # For the footer only: Enter on the list is the table's own (RowSelected → ExpertChosen). A
        # screen-level Enter binding broke Enter on the wrap-up's Select in a real terminal.
        Binding("enter", "choose", "Menu", tooltip="Message, consult or transfer to the highlighted expert"),
    ]

    skill: reactive[str | None] = reactive(None, init=False)

    @dataclass
    class SearchChanged(Message):
        """The agent typed a new search or chose a skill; the screen fetches matching experts."""

        query: str
        skill: str | None = None

    @dataclass
    class ExpertChosen(Message):
        """Enter on an expert: the screen offers what can be done with them."""

        expert: Expert

    def __init__(self, directory: ExpertDirectory | None = None, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self.directory = directory or ExpertDirectory()
        self._render_pending = False
        self._reorder_pending = False
        self._relisted_pending = False  # a new list or new suggestions pending: drawn after the screen pop
        self._rows_pending: set[str] = set()
        self._titles_pending = False
        self._last_render = 0.0
        self.search_box = ExpertSearch(
            placeholder="Search experts by name, skill or department  (/)", id="expert-search"
        )
        self.table = ExpertTable(id="expert-table", cursor_type="row", zebra_stripes=True)

    def compose(self) -> ComposeResult:
        yield self.search_box
        yield self.table

    def on_mount(self) -> None:
        # Fixed widths: columns stay put as presence changes, and layout never waits on auto-sizing.
        table = self.table
        for label, width in COLUMNS:
            table.add_column(Text(label), width=width)  # Text: a str is parsed as markup (contact_list.py)
        self._update_titles()

    def on_resize(self) -> None:
        """Fit the columns to the panel: at 120×40 the widest widths left the presence word one letter."""
        table = self.table
        room = room_for_cells(table.size.width, table.styles.scrollbar_size_vertical, len(COLUMNS))
        if room > 0:
            set_column_widths(table, column_widths(room))

    # --- what the agent does ----------------------------------------------------

    def action_choose(self) -> None:
        expert = self.highlighted()
        if expert is not None:
            self.post_message(self.ExpertChosen(expert))

    def action_search(self) -> None:
        self.screen.set_focus(self.search_box)

    def action_results(self) -> None:
        """↓ in the search: into the results, on the first (Enter does the same)."""
        table = self.table
        if table.row_count:
            table.move_cursor(row=0)
        self.screen.set_focus(table)

    def _clear_search(self) -> None:
        """The desk cleared the search for a new contact (and reads the whole directory): the box follows."""
        search = self.search_box
        with search.prevent(Input.Changed):
            search.value = ""
        self.set_reactive(ExpertsPanel.skill, None)

    @property
    def search_text(self) -> str:
        """What the agent typed in the search (not `query`: Textual's `Widget.query` must stay Textual's)."""
        return self.search_box.value.strip()

    @on(Input.Changed, "#expert-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.SearchChanged(event.value.strip(), self.skill))

    @on(Input.Submitted, "#expert-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.table)  # Enter: from the search to the results

    @on(ExpertTable.PassedTheTop)
    def _back_to_search(self, event: ExpertTable.PassedTheTop) -> None:
        event.stop()
        self.search_box.go_on()

    @on(DataTable.RowSelected, "#expert-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        expert = self.directory.expert(str(event.row_key.value))
        if expert is not None:
            self.post_message(self.ExpertChosen(expert))

    def highlighted(self) -> Expert | None:
        table = self.table
        if not table.row_count or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.directory.expert(str(key))

    def expert(self, person_id: str) -> Expert | None:
        return self.directory.expert(person_id)

    def experts(self) -> list[Expert]:
        return list(self.directory.experts.values())

    @property
    def known_skills(self) -> set[str]:
        return self.directory.known_skills

    @property
    def suggested_skills(self) -> tuple[str, ...]:
        return self.directory.suggested_skills

    # --- what the screen sets ----------------------------------------------------

    def watch_skill(self) -> None:
        self._update_titles()
        self.post_message(self.SearchChanged(self.search_text, self.skill))

    def directory_changed(self) -> None:
        """The screen's directory changed: draw what changed (rows in place, or the list in a new order)."""
        if self.directory.take_search_reset():
            self._clear_search()
        taken = self.directory.take_changes()
        rows, reordered, titles = taken.rows, taken.reordered, taken.titles
        self._rows_pending |= rows
        self._reorder_pending |= reordered
        self._relisted_pending |= taken.relisted
        if rows or reordered:
            # The titles are drawn with the rows they describe: an offer's "★ for billing" with the starred
            # order, not in the screen pop's frame (the panel's border widened that frame to the whole screen).
            self._titles_pending |= titles
            self._schedule_render()
        elif titles:
            self._update_titles()

    def ordered(self) -> list[Expert]:
        return self.directory.ordered()

    # --- drawing -------------------------------------------------------------------

    def _schedule_render(self) -> None:
        """Coalesce bursts of presence changes: at most one redraw per RENDER_INTERVAL_S.

        Rebuilding a few hundred rows takes tens of milliseconds; redrawing on every refresh
        under a storm of changes (100 a second) starved the keyboard (p99 2 s per key press).
        """
        if self._render_pending or not self.is_mounted:
            return
        self._render_pending = True
        wait = self._last_render + RENDER_INTERVAL_S - monotonic()
        if self._relisted_pending:
            # A new list or new suggestions (an offer's, with its fresh search) wait until the screen pop is drawn;
            # a colleague's presence moving them between groups does not wait (bench_xmpp measured that wait).
            wait = max(wait, REORDER_DELAY_S)
        if wait > 0:
            self.set_timer(wait, self._render_table)
        else:
            self.call_after_refresh(self._render_table)

    def _update_titles(self) -> None:
        title = "Experts"
        if self.directory.suggested_skills:
            title += f" · {SUGGESTED}for {one_line(', '.join(self.directory.suggested_skills), 30)}"
        self.border_title = literal_title(title)
        free = self.directory.free_count()
        skill = f"skill: {one_line(self.skill, 20)} (s) · " if self.skill else ""
        self.border_subtitle = literal_title(f"{skill}{free} available")

    def _render_table(self) -> None:
        self._render_pending = False
        self._last_render = monotonic()
        table = self.table
        ordered = self.ordered()
        rows, self._rows_pending = self._rows_pending, set()
        reorder, self._reorder_pending = self._reorder_pending, False
        self._relisted_pending = False
        if self._titles_pending:
            self._titles_pending = False
            self._update_titles()
        order = [e.id for e in ordered]
        shown = [row.key.value for row in table.ordered_rows]  # as on screen (`table.rows` keeps the order of adding)
        if not reorder or order == shown:
            self._update_rows(table, [e for e in ordered if e.id in rows])  # the same order: the rows that changed
            return
        selected = None
        if table.row_count and table.cursor_row >= 0:
            selected = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if len(order) == len(shown) and set(order) == set(shown):
            # The same people in a new order (a presence change moves someone between the availability groups,
            # every redraw under a storm of them): the rows are put in place and only the cells that changed
            # are drawn again. Rebuilding every row at each redraw kept a key waiting behind it
            # (`experts_keypress_to_frame_100_changes_per_s`, bench_presence).
            _put_rows_in_order(table, order)
            self._update_rows(table, ordered)  # an offer's new suggestions star other names
        else:
            table.clear()
            for expert in ordered:
                table.add_row(*self._cells(expert), key=expert.id)
        if selected in self.directory.experts:
            table.move_cursor(row=table.get_row_index(selected))

    def _update_rows(self, table: DataTable[Text], experts: list[Expert]) -> None:
        """Draw again the cells of `experts`' rows that differ from what they show."""
        updated = False
        for expert in experts:
            for column, value in zip(table.columns, self._cells(expert), strict=True):
                if table.get_cell(expert.id, column) != value:
                    table.update_cell(expert.id, column, value)
                    updated = True
        if updated:
            drop_stale_table_renders(table)

    def _cells(self, expert: Expert) -> tuple[Text, ...]:
        symbol, word, style = PRESENCE_LABELS[expert.presence.availability]
        suggested = self.directory.suggested_skills
        name = cell(expert.name, "bold", limit=COLUMNS[1][1] - len(SUGGESTED))
        if suggested and matching_skills(expert, suggested) > 0:
            name = Text.assemble((SUGGESTED, "bold yellow"), name)
        return (
            Text(symbol, style=style),
            name,
            cell(expert.department or "", limit=COLUMNS[2][1]),
            cell(", ".join(expert.skills), limit=60),
            Text.assemble((word, style), self._status_cell(expert)),
        )

    def _status_cell(self, expert: Expert) -> Text:
        """What follows the presence word: their last reply, their status message, or their activity."""
        reply = self.directory.replies.get(expert.id)
        if reply is not None:
            return Text.assemble(" · ", (REPLY_MARK, "bold"), cell(reply.text, "italic", limit=40))
        presence = expert.presence
        if presence.status_message:
            return Text.assemble(" · ", cell(presence.status_message, "italic", limit=40))
        # The activity only when it says more than the presence word ("In a call", not "Available" twice).
        activity = activity_words(presence.activity)
        shown = activity if activity.lower() != PRESENCE_LABELS[presence.availability][1].lower() else ""
        return Text.assemble(" · ", cell(shown, "italic", limit=40)) if shown else Text("")


def column_widths(room: int) -> tuple[int, ...]:
    """The columns' widths in `room` cells (padding not counted): each its least, then the room left handed out in
    `GROWS_FIRST`'s order up to each column's most; past every most, the status takes the rest."""
    return fitted_widths(room, LEAST_WIDTHS, [most for _, most in COLUMNS], GROWS_FIRST, rest_to=len(COLUMNS) - 1)


def _put_rows_in_order(table: DataTable[Text], order: list[str]) -> None:
    """Put `table`'s rows (the people in `order`, no more, no fewer) in that order without building them again.
    `DataTable.sort` hands its key function a row's cells, not its key: each row's first cell is a `Text` of its
    own (`ExpertsPanel._cells` makes one a row), so its identity says whose row it is."""
    first = next(iter(table.columns))
    place = {id(table.get_cell(row_id, first)): index for index, row_id in enumerate(order)}
    table.sort(first, key=lambda cell: place[id(cell)])
