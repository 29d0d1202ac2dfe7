"""The adherence board: each agent's scheduled activity against their state, out of adherence for how
long (past the contact center's tolerance), today's adherence %, out of adherence the longest first; the teams'
totals under it. Hidden until `r`; drawn from the desk's board (agent_desktop/supervisor_desk/workforce/adherence_board.py):
the rows that changed on each event, the clock's columns once a second while shown, nothing while hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from agent_desktop.supervisor_desk.changes import FloorChanges
from agent_desktop.supervisor_desk.workforce.adherence_board import AdherenceBoard, BoardRow
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import cell, literal_title, plain
from agent_desktop.ui.supervisor.live_table import LiveTable

COLUMNS = (
    Column("Agent", 18, "agent"),
    Column("Team", 12, "team"),
    Column("Scheduled", 9, "scheduled"),
    Column("Actual", 22, "actual"),
    Column("Out for", 7, "out_for", "right"),
    Column("Today", 7, "pct", "right"),
)
CLOCK_EVERY_S = 1.0


def board_cells(row: BoardRow) -> list[Text]:
    out = "bold red" if row.out else ""
    return [
        cell(row.agent, out),
        cell(row.team),
        cell(row.scheduled),
        cell(row.actual, out),
        cell(row.out_for, out),
        cell(row.pct),
    ]


def _cells(board: AdherenceBoard, key: str, now: datetime) -> list[Text]:
    return board_cells(board.row(key, now))


class AdherenceTable(LiveTable):
    FLEX = "actual"
    NARROW_HIDDEN = frozenset({"team"})

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)


class AdherenceBoardView(Vertical):
    def __init__(self, board: AdherenceBoard, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.board = board
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield AdherenceTable(id="adherence-table")
        yield Static(id="adherence-teams")

    def on_mount(self) -> None:
        self.display = False
        self.border_title = "Adherence"
        self.set_interval(CLOCK_EVERY_S, self.draw)

    def toggle(self) -> None:
        self.display = not self.display
        self.draw()

    def show(self, changes: FloorChanges) -> None:
        """An event's rows (all of them after a snapshot); nothing while hidden (drawn whole when shown)."""
        if self.display and (changes.adherence or changes.adherence_reset):
            self.draw(None if changes.adherence_reset else changes.adherence)

    def draw(self, changed: set[str] | None = None) -> None:
        """The `changed` agents' rows, or every row (their clock's columns), in the board's order; the teams."""
        board = self.board
        if not self.display:
            return
        now, table = self.clock(), self.query_one(AdherenceTable)
        keys = board.order()
        for gone in set(table.keys) - set(keys):
            table.remove_row(gone)
        for key in keys if changed is None else changed & set(keys):  # built when in view (a thousand agents)
            table.set_row_later(key, partial(_cells, board, key, now))
        table.set_order(keys)
        out = sum(board.rows[key].out_of_adherence for key in keys)
        if not board.loaded:
            words = "This contact center reports no adherence (it keeps no schedule)."
            self.query_one("#adherence-teams", Static).update(plain(words, "dim"))
        else:
            teams = "  ·  ".join(f"{t.team} {t.pct} ({t.out} of {t.agents} out)" for t in board.teams(now))
            self.query_one("#adherence-teams", Static).update(plain(f"Teams today: {teams}"))
        tolerance = f", tolerance {board.tolerance_s:g} s" if board.tolerance_s is not None else ""
        self.border_title = literal_title(f"Adherence — {out} of {len(keys)} out{tolerance} (longest out first)")
