"""Staffing advice per queue: what Erlang C says the last 30 minutes needed, beside who is staffed."""

from __future__ import annotations

from functools import partial

from rich.text import Text

from desktop.staffing.floor import Floor
from desktop.ui.plain_text import cell
from desktop.ui.widgets.supervisor.cells import number_cell, seconds_cell
from desktop.ui.widgets.supervisor.live_table import Column, LiveTable

COLUMNS = (
    Column("Queue", "queue", 14),
    Column("Calls/min", "rate", 9, "right"),
    Column("AHT", "aht", 5, "right"),
    Column("Erlangs", "traffic", 7, "right"),
    Column("Needed", "needed", 6, "right"),
    Column("P(wait)", "p_wait", 7, "right"),
    Column("ASA", "asa", 5, "right"),
    Column("Staffed", "staffed", 7, "right"),
    Column("SL staffed", "staffed_sl", 10, "right"),
    Column("Advice", "advice", 16),
)


class StaffingTable(LiveTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, show_cursor=False, id=id)

    def show(self, floor: Floor) -> None:
        ids = floor.queue_ids()
        for queue_id in ids:
            self.set_row_later(queue_id, partial(self._row, floor, queue_id))
        if self.keys != ids:
            for gone in set(self.keys) - set(ids):
                self.remove_row(gone)
            self.set_order(ids)

    def _row(self, floor: Floor, queue_id: str) -> list[Text]:
        name = cell(floor.queue_name(queue_id), "bold", limit=14)
        advice = floor.staffing(queue_id)
        staffed = floor.staffed(queue_id)
        if advice is None:
            dash = Text("—", style="dim")
            return [name, dash, dash, dash, dash, dash, dash, number_cell(staffed), dash, Text("no traffic yet", style="dim")]
        short = advice.agents_needed - staffed
        if short > 0:
            word = Text(f"{short} short", style="bold red")
        elif short < 0:
            word = Text(f"OK, {-short} spare", style="green")
        else:
            word = Text("OK, exactly", style="green")
        return [
            name,
            Text(f"{advice.arrivals_per_min:.1f}"),
            seconds_cell(advice.aht_s),
            Text(f"{advice.traffic:.2f}"),
            number_cell(advice.agents_needed, "bold"),
            Text(f"{advice.p_wait:.3f}"),
            seconds_cell(advice.asa_s),
            number_cell(staffed, "bold red" if short > 0 else "bold"),
            Text(f"{advice.staffed_service_level * 100:.0f}%", style="red" if short > 0 else ""),
            word,
        ]
