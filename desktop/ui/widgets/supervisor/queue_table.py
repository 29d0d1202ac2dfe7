"""The queues panel: per queue, who is waiting, service level against target, and the agents."""

from __future__ import annotations

from collections.abc import Callable

from functools import partial

from rich.text import Text

from desktop.backends.models import AgentState
from desktop.staffing.floor import Floor
from desktop.ui.plain_text import cell
from desktop.ui.widgets.supervisor.cells import (
    number_cell,
    percent_cell,
    seconds_cell,
    service_level_cell,
    sparkline,
)
from desktop.ui.widgets.supervisor.live_table import Column, LiveTable

SPARK_WIDTH = 15  # 30 one-minute samples, two to a character
AGENT_GROUPS = {
    "available": (AgentState.AVAILABLE,),
    "busy": (AgentState.BUSY, AgentState.OFFERED),
    "acw": (AgentState.AFTER_CONTACT_WORK,),
    "not_ready": (AgentState.NOT_READY, AgentState.MISSED),
}
COLUMNS = (
    Column("Queue", "queue", 14),
    Column("Wait", "waiting", 4, "right"),
    Column("Longest", "longest", 7, "right"),
    Column("Service lvl", "sl", 12),
    Column("ASA", "asa", 5, "right"),
    Column("AHT", "aht", 5, "right"),
    Column("Aband", "aband", 5, "right"),
    Column("Av Bu AC NR", "agents", 11),
    Column("Waiting 30 min", "spark_waiting", SPARK_WIDTH),
    Column("Serv.lvl 30 min", "spark_sl", SPARK_WIDTH),
)


def pairs(values: list, combine: Callable) -> list:
    """Two one-minute samples to a character (the newest stands alone if the count is odd)."""
    start = len(values) % 2
    out = values[:start]
    for i in range(start, len(values), 2):
        known = [v for v in values[i : i + 2] if v is not None]
        out.append(combine(known) if known else None)
    return out


class QueueTable(LiveTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)

    def show(self, floor: Floor, alerting: set[str]) -> None:
        ids = floor.queue_ids()
        for queue_id in ids:
            self.set_row_later(queue_id, partial(self._row, floor, queue_id, queue_id in alerting))
        if self.keys != ids:
            for gone in set(self.keys) - set(ids):
                self.remove_row(gone)
            self.set_order(ids)

    def _row(self, floor: Floor, queue_id: str, alerting: bool) -> list[Text]:
        stats = floor.current_stats(queue_id)
        history = floor.history.get(queue_id)
        target, _ = floor.target_of(queue_id)
        name = floor.queue_name(queue_id)
        name_cell = (
            Text.assemble(("⚠ ", "bold red"), cell(name, "bold red", limit=12)) if alerting else cell(name, "bold", limit=14)
        )
        if stats is None:
            return [name_cell] + [Text("—", style="dim") for _ in COLUMNS[1:]]
        by_state = stats.agents_by_state
        groups = [sum(by_state.get(state.value, 0) for state in states) for states in AGENT_GROUPS.values()]
        waiting_history = list(history.waiting) if history else []
        sl_history = list(history.service_level) if history else []
        waiting, longest = floor.waiting_now(queue_id)
        return [
            name_cell,
            number_cell(waiting, "bold" if waiting else ""),
            seconds_cell(longest if waiting else None, alert_over=floor.longest_wait_alert_s),
            service_level_cell(floor.service_level_of(queue_id), target, history.trend() if history else None),
            seconds_cell(stats.asa_s),
            seconds_cell(stats.aht_s),
            percent_cell(stats.abandonment_rate_pct),
            Text(" ".join(f"{n:>2}" for n in groups)),
            sparkline(pairs(waiting_history, max), SPARK_WIDTH, low=0),
            sparkline(pairs(sl_history, min), SPARK_WIDTH, low=0, high=100),
        ]
