"""The queues panel: per queue, who is waiting, service level against target, and the agents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from rich.text import Text

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.vocabulary import AWAY, AgentState
from agent_desktop.staffing.floor import Floor
from agent_desktop.staffing.queue_order import SORT_WORDS
from agent_desktop.supervisor_desk.desk import SupervisorDesk
from agent_desktop.supervisor_desk.said_alerts.said_alert_list import is_said
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import cell, literal_title
from agent_desktop.ui.supervisor.cells import (
    number_cell,
    percent_cell,
    seconds_cell,
    service_level_cell,
    sparkline,
)
from agent_desktop.ui.supervisor.live_table import LiveTable

SPARK_WIDTH = 10  # 30 one-minute samples, three to a character
SAMPLES_PER_CHAR = 3
V = TypeVar("V", bound=float)  # a sample: waiting contacts (int), a service level (float)
AGENT_GROUPS = {
    "available": (AgentState.AVAILABLE,),
    "busy": (AgentState.BUSY, AgentState.OFFERED),
    "acw": (AgentState.AFTER_CONTACT_WORK,),
    "not_ready": tuple(sorted(AWAY)),
}
COLUMNS = (
    Column("Queue", 14, "queue"),
    Column("Wait", 4, "waiting", "right"),
    Column("Longest", 7, "longest", "right"),
    Column("Late", 4, "sla_breaches", "right"),  # written contacts past their reply target
    Column("Await", 5, "awaiting_reply", "right"),  # written contacts in hand whose customer wrote last
    Column("Later", 5, "later", "right"),  # written contacts in hand snoozed · with a reply scheduled
    Column("Service lvl", 16, "sl"),
    Column("ASA", 5, "asa", "right"),
    Column("AHT", 5, "aht", "right"),
    Column("Aband", 5, "aband", "right"),
    Column("EWT", 5, "ewt", "right"),
    Column("Callback", 8, "callbacks"),
    Column("Av Bu AC NR", 11, "agents"),
    Column("Bot", 7, "bot", "right"),  # the virtual agent's chats: contained · escalated · failed
    Column("Wait 30m", SPARK_WIDTH, "spark_waiting"),
    Column("SL 30m", SPARK_WIDTH, "spark_sl"),
)


LEGEND = "Av available · Bu busy/offered · AC after-contact work · NR not ready/missed"
BOT_LEGEND = " · Bot: contained·escalated·failed"  # the virtual agent's chats


def grouped(
    values: Sequence[V | None], combine: Callable[[list[V]], V], size: int = SAMPLES_PER_CHAR
) -> list[V | None]:
    """`size` one-minute samples to a character (the oldest group is the short one)."""
    start = len(values) % size
    bounds = ([(0, start)] if start else []) + [(i, i + size) for i in range(start, len(values), size)]
    out = []
    for low, high in bounds:
        known = [v for v in values[low:high] if v is not None]
        out.append(combine(known) if known else None)
    return out


def callbacks_cell(pending: int | None, oldest_s: float | None) -> Text:
    """`2 · 4:10`: callbacks waiting to be dialled and the age of the oldest; `—` where the queue has none."""
    if not pending:
        return Text("—", style="dim")
    age = format_duration(oldest_s, "compact") if oldest_s is not None else "?"
    return Text.assemble((str(pending), "bold"), (f" · {age}", "yellow" if (oldest_s or 0) >= 300 else ""))


def awaiting_cell(count: int | None) -> Text:
    """The conversations in agents' hands awaiting our reply: bold yellow while any is; a dim 0; — not counted."""
    if count is None:
        return Text("—", style="dim", justify="right")
    return Text(str(count), style="bold yellow" if count else "dim", justify="right")


def later_cell(counts: tuple[int, int] | None) -> Text:
    """The conversations in agents' hands snoozed and with a reply scheduled ("2·1"); a dim 0; — not counted."""
    if counts is None:
        return Text("—", style="dim", justify="right")
    snoozed, scheduled = counts
    if not snoozed and not scheduled:
        return Text("0", style="dim", justify="right")
    return Text(f"{snoozed}·{scheduled}", style="bold blue", justify="right")


def bot_cell(counts: tuple[int, int, int] | None) -> Text:
    """The virtual agent's chats beside the people: contained · handed to a person · failed ("12·3·0", the failed red
    while any); — where the queue has none."""
    if counts is None:
        return Text("—", style="dim", justify="right")
    contained, escalated, failed = counts
    return Text.assemble(
        (f"{contained}", "green" if contained else "dim"),
        ("·", "dim"),
        (f"{escalated}", "bold" if escalated else "dim"),
        ("·", "dim"),
        (f"{failed}", "bold red" if failed else "dim"),
        justify="right",
    )


def breaches_cell(count: int | None) -> Text:
    """The written contacts past their reply target: red while any is; a dim 0 else."""
    if count is None:
        return Text("—", style="dim", justify="right")
    return Text(str(count), style="bold red" if count else "dim", justify="right")


class QueueTable(LiveTable):
    """Rows keyed by queue id. The screen sets `sort_by`, then calls `show` with the supervisor's desk's order
    of the queues (worked out again on every update: agent_desktop/staffing/queue_order.py); the cursor stays on its queue when rows move, except
    on the first row of a sort: there it stays on the first row (watching the worst queue, as a log view
    anchored at its end keeps showing the latest line), or it would follow a queue down and out of view."""

    # At 80 columns: queue, waiting, longest wait, service level (with its target), abandoned and the agents stay.
    NARROW_HIDDEN = frozenset({"aht", "ewt", "callbacks", "bot", "spark_waiting", "spark_sl"})
    # Names get the room they need (a big floor has many "Fraud — …"); the sparklines give theirs first, then
    # "Later", "Await", the virtual agent's "Bot" (there only where a queue has one: at 120 columns it takes "Await"'s
    # room, beside the people) and "Late" (at 80 columns they do not fit beside the agents' counts), then ASA (the service level beside it
    # says how fast contacts are answered; the drill-down has each contact's wait).
    FLEX = "queue"
    YIELDS = ("spark_waiting", "spark_sl", "later", "awaiting_reply", "bot", "sla_breaches", "asa")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.sort_by = "queue"
        self._titled_for: str | None = None
        self.border_subtitle = literal_title(LEGEND)

    def draw(self, desk: SupervisorDesk) -> None:
        """The queues in the desk's sort, those alerting marked; the title says the sort."""
        self.sort_by = desk.queue_sort
        # A queue is marked for its own figures; what a customer said is the status line's (and the agent's row's).
        self.show(desk.floor, {a.queue_id for a in desk.alerts if not is_said(a)}, desk.queue_order())
        if self._titled_for != self.sort_by:
            self._titled_for = self.sort_by
            self.border_title = literal_title(f"Queues — last 30 minutes · by {SORT_WORDS[self.sort_by]}")

    def sort(self, desk: SupervisorDesk) -> None:
        """The next sort, shown from its top (the worst queue); while the floor moves the cursor stays on its queue."""
        desk.sort_queues()
        self.draw(desk)
        self.move_cursor(0)

    def show(self, floor: Floor, alerting: set[str], order: list[str]) -> None:
        ids = floor.queue_ids()
        self.want_width(max((len(floor.queue_name(q)) + (2 if q in alerting else 0) for q in ids), default=0))
        bot = any(floor.virtual_agent_of(q) is not None for q in ids)  # the column only where a queue has one
        self.leave_out(frozenset() if bot else frozenset({"bot"}))
        self.border_subtitle = literal_title(LEGEND + (BOT_LEGEND if bot else ""))
        for queue_id in ids:
            self.set_row_later(queue_id, partial(self._row, floor, queue_id, queue_id in alerting))
        if self.keys != order:
            watching_top = self.sort_by != "queue" and self.cursor_row == 0
            for gone in set(self.keys) - set(ids):
                self.remove_row(gone)
            self.set_order(order)
            if watching_top and self.cursor_row != 0:
                self.move_cursor(0)  # the cursor on the first row stays there: the worst queue, whichever it is

    def _row(self, floor: Floor, queue_id: str, alerting: bool) -> list[Text]:
        stats = floor.current_stats(queue_id)
        history = floor.history.get(queue_id)
        target, _ = floor.target_of(queue_id)
        name = floor.queue_name(queue_id)
        name_cell = Text.assemble(("⚠ ", "bold red"), cell(name, "bold red")) if alerting else cell(name, "bold")
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
            breaches_cell(floor.sla_breaches_of(queue_id)),
            awaiting_cell(floor.awaiting_reply_of(queue_id)),
            later_cell(floor.later_of(queue_id)),
            service_level_cell(
                floor.service_level_of(queue_id),
                target,
                history.trend() if history else None,
                few=not floor.service_level_settled(queue_id),
            ),
            seconds_cell(stats.asa_s),
            seconds_cell(stats.aht_s),
            percent_cell(stats.abandonment_rate_pct),
            seconds_cell(stats.ewt_s),
            callbacks_cell(stats.callbacks_pending, stats.oldest_callback_s),
            Text(" ".join(f"{n:>2}" for n in groups)),
            bot_cell(floor.virtual_agent_of(queue_id)),
            sparkline(grouped(waiting_history, max), SPARK_WIDTH, low=0),
            sparkline(grouped(sl_history, min), SPARK_WIDTH, low=0, high=100),
        ]
