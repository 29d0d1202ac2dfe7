"""Internal experts with live presence, free people first, searchable."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input

from desktop.backends.models import Expert, Presence
from desktop.ui.plain_text import cell
from desktop.ui.presence_labels import PRESENCE_LABELS, PRESENCE_ORDER


COLUMNS = (("Presence", 16), ("Name", 20), ("Department", 18), ("Status", 24), ("Skills", 40))


class ExpertsPanel(Vertical):
    BORDER_TITLE = "Experts"

    @dataclass
    class SearchChanged(Message):
        """The agent typed a new search; the screen fetches matching experts."""

        query: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._experts: dict[str, Expert] = {}
        self._render_pending = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search experts by name, skill or department  (/)", id="expert-search")
        yield DataTable(id="expert-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # Fixed widths: columns stay put as presence changes, and layout never waits on auto-sizing.
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)

    @on(Input.Changed, "#expert-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.SearchChanged(event.value.strip()))

    def show(self, experts: list[Expert]) -> None:
        self._experts = {expert.id: expert for expert in experts}
        self._render_table()

    def update_presence(self, person_id: str, presence: Presence) -> None:
        expert = self._experts.get(person_id)
        if expert is None:
            return
        self._experts[person_id] = expert.model_copy(update={"presence": presence})
        # Coalesce bursts of presence changes into one redraw per refresh.
        if not self._render_pending:
            self._render_pending = True
            self.call_after_refresh(self._render_table)

    def ordered(self) -> list[Expert]:
        return sorted(self._experts.values(), key=lambda e: (PRESENCE_ORDER[e.presence.availability], e.name))

    def _render_table(self) -> None:
        self._render_pending = False
        table = self.query_one(DataTable)
        selected = None
        if table.row_count and table.cursor_row >= 0:
            selected = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        table.clear()
        for expert in self.ordered():
            symbol, word, style = PRESENCE_LABELS[expert.presence.availability]
            table.add_row(
                Text(f"{symbol} {word}", style=style),
                cell(expert.name, "bold", limit=24),
                cell(expert.department or "", limit=18),
                cell(expert.presence.status_message or expert.presence.activity or "", "italic", limit=40),
                cell(", ".join(expert.skills), limit=40),
                key=expert.id,
            )
        if selected in self._experts:
            table.move_cursor(row=table.get_row_index(selected))
        self.border_subtitle = f"{sum(e.presence.availability.is_free for e in self._experts.values())} available"
