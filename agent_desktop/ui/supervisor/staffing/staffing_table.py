"""Staffing advice per queue: what Erlang C says the last 30 minutes needed, beside who is staffed.

The Advice cell is one story with the live level of the queues panel (agent_desktop/staffing/queue_story.py):
"warming up" before there is enough data, and the basis named ("forecast", "holds") where they differ.

Staffed counts the agents who can take the queue's contacts now or after their current one,
a shared agent in part (agent_desktop/staffing/floor.py). When the measured service level is below
target while Erlang C says the staffing suffices, the advice names the first cause instead of
"OK" (the panel under the table gives them all in words). Agents Available now who can take the
queue's contacts, counted whole, overrule a shortfall when they cover the contacts waiting plus
Erlang C's need ("OK now, N Available", said why under the table; agent_desktop/staffing/queue_advice.py).
"""

from __future__ import annotations

from functools import partial

from rich.text import Text

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.staffing.floor import Floor
from agent_desktop.staffing.queue_story import queue_story
from agent_desktop.staffing.why_service_level import Cause
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import cell
from agent_desktop.ui.supervisor.cells import number_cell, seconds_cell
from agent_desktop.ui.supervisor.live_table import LiveTable

COLUMNS = (
    Column("Queue", 14, "queue"),
    Column("Calls/min", 9, "rate", "right"),
    Column("AHT", 5, "aht", "right"),
    Column("Erlangs", 7, "traffic", "right"),
    Column("Needed", 6, "needed", "right"),
    Column("P(wait)", 7, "p_wait", "right"),
    Column("ASA", 5, "asa", "right"),
    Column("Staffed", 7, "staffed", "right"),
    Column("SL fcst", 7, "staffed_sl", "right"),  # short: at 80 columns "Technical support" fits beside it
    Column("Advice", 30, "advice"),
)


class StaffingTable(LiveTable):
    # At 80 columns: the queue, agents needed and staffed, the service level they give (where the names leave room
    # for it), and the advice stay.
    NARROW_HIDDEN = frozenset({"rate", "aht", "traffic", "p_wait", "asa"})
    # As wide as the queues panel's names, where there is room: P(wait), Erlangs and ASA give theirs, then the SL
    # forecast (at 80 columns with a hundred queues' names; the advice beside it says short or spare in words), so
    # that names are shortened by whole words ("Billing Central"), never to "Billi. Central" in 14 cells.
    FLEX = "queue"
    YIELDS = ("p_wait", "traffic", "asa", "staffed_sl")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, show_cursor=False, id=id)
        self.border_title = "Staffing advice — Erlang C forecast from the last 30 minutes' load"

    def show(self, floor: Floor, why: dict[str, list[Cause]], order: list[str] | None = None) -> None:
        """`order`: the queues panel's (the same queue on the same line in both), else the floor's."""
        ids = floor.queue_ids()
        self.want_width(max((len(floor.queue_name(q)) for q in ids), default=0))
        for queue_id in ids:
            self.set_row_later(queue_id, partial(self._row, floor, queue_id, why.get(queue_id, [])))
        if order:
            known, listed = set(ids), set(order)
            order = [q for q in order if q in known] + [q for q in ids if q not in listed]
        else:
            order = ids
        if self.keys != order:
            for gone in set(self.keys) - set(ids):
                self.remove_row(gone)
            self.set_order(order)

    def _row(self, floor: Floor, queue_id: str, causes: list[Cause]) -> list[Text]:
        name = cell(floor.queue_name(queue_id), "bold")
        checked = floor.advice(queue_id)
        staffed = floor.staffed(queue_id)
        story = queue_story(floor, queue_id, causes)
        word = Text(story.words, style=story.style)
        if checked is None or checked.erlang is None or story.kind == "warming_up":
            dash = Text("—", style="dim")
            return [name, dash, dash, dash, dash, dash, dash, agents_cell(staffed), dash, word]
        advice = checked.erlang
        short = checked.shortfall
        return [
            name,
            Text(f"{advice.arrivals_per_min:.1f}"),
            assumed_cell(advice.aht_s) if checked.aht_assumed else seconds_cell(advice.aht_s),
            Text(f"{advice.traffic:.2f}"),
            number_cell(advice.agents_needed, "bold"),
            Text(f"{advice.p_wait:.3f}"),
            seconds_cell(advice.asa_s),
            agents_cell(staffed, "bold red" if short > 0 else "bold"),
            Text(f"{advice.staffed_service_level * 100:.0f}%", style="red" if short > 0 else "", justify="right"),
            word,
        ]


def assumed_cell(seconds: float) -> Text:
    """An AHT assumed while none of the queue's contacts has completed: `~1:00`, dim."""
    return Text(f"~{format_duration(seconds, 'compact')}", style="dim", justify="right")


def agents_cell(agents: float, style: str = "") -> Text:
    """Whole agents as a whole number, a shared agent's part with one decimal."""
    rounded = round(agents, 1)
    return number_cell(int(rounded) if rounded == int(rounded) else rounded, style)
