"""Staffing advice per queue: what Erlang C says the last 30 minutes needed, beside who is staffed.

Staffed counts the agents who can take the queue's contacts now or after their current one,
a shared agent in part (desktop/staffing/floor.py). When the measured service level is below
target while Erlang C says the staffing suffices, the advice names the first cause instead of
"OK" (the panel under the table gives them all in words).
"""

from __future__ import annotations

from functools import partial

from rich.text import Text

from desktop.staffing.floor import Floor
from desktop.staffing.why_service_level import Cause
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
    Column("Advice", "advice", 22),
)


class StaffingTable(LiveTable):
    # At 80 columns: the queue, agents needed and staffed, the service level they give, and the advice stay.
    NARROW_HIDDEN = frozenset({"rate", "aht", "traffic", "p_wait", "asa"})

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, show_cursor=False, id=id)

    def show(self, floor: Floor, why: dict[str, list[Cause]]) -> None:
        ids = floor.queue_ids()
        for queue_id in ids:
            self.set_row_later(queue_id, partial(self._row, floor, queue_id, why.get(queue_id, [])))
        if self.keys != ids:
            for gone in set(self.keys) - set(ids):
                self.remove_row(gone)
            self.set_order(ids)

    def _row(self, floor: Floor, queue_id: str, causes: list[Cause]) -> list[Text]:
        name = cell(floor.queue_name(queue_id), "bold", limit=14)
        advice = floor.staffing(queue_id)
        staffed = floor.staffed(queue_id)
        if advice is None:
            dash = Text("—", style="dim")
            return [name, dash, dash, dash, dash, dash, dash, agents_cell(staffed), dash, Text("no traffic yet", style="dim")]
        short = advice.shortfall
        if short > 0:
            word = Text(f"{short} short", style="bold red")
        elif causes:
            word = Text(f"SL low: {causes[0].short}", style="bold yellow")
        elif advice.spare:
            word = Text(f"OK, {advice.spare} spare", style="green")
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
            agents_cell(staffed, "bold red" if short > 0 else "bold"),
            Text(f"{advice.staffed_service_level * 100:.0f}%", style="red" if short > 0 else ""),
            word,
        ]


def agents_cell(agents: float, style: str = "") -> Text:
    """Whole agents as a whole number, a shared agent's part with one decimal."""
    rounded = round(agents, 1)
    return number_cell(int(rounded) if rounded == int(rounded) else rounded, style)
