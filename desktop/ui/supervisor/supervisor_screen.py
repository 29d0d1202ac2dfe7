"""Supervisor mode: queue panels with alerts and Erlang C staffing advice, the agents table, the contacts monitored.

The screen draws the supervisor's desk (desktop/supervisor_desk/) and sends its keys to the desk's controller,
whose use cases run in the screen's workers. The controller applies each event of the streams to the desk and
says so; the screen coalesces that into one `FloorChanged` (or `MonitorChanged`) and draws only what changed
(`SupervisorDesk.take_floor_changes`). No panel polls the backend.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from functools import partial

from textual import events, on, work
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.message import Message
from textual.timer import Timer
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import Worker

from desktop.staffing.alerts import notification_text, notification_title
from desktop.supervisor_desk.changes import FloorChanges
from desktop.supervisor_desk.commands import Panel, supervisor_enabled, why_not
from desktop.supervisor_desk.controller import SupervisorController
from desktop.supervisor_desk.desk import Line
from desktop.ui.command_bindings import supervisor_bindings
from desktop.ui.plain_text import literal_title, plain
from desktop.ui.shared.breakpoints import NARROW_BELOW, SHORT_BELOW
from desktop.ui.shared.footer import KeyFooter
from desktop.ui.supervisor.agent_drilldown import AgentDrilldown
from desktop.ui.supervisor.agent_table import AgentTable
from desktop.ui.supervisor.agents_box import AgentsBox
from desktop.ui.supervisor.floor_status import FloorStatus
from desktop.ui.supervisor.live_table import LiveTable
from desktop.ui.supervisor.monitor_panel import MonitorPanel
from desktop.ui.supervisor.queue_drilldown import QueueDrilldown
from desktop.ui.supervisor.queue_table import QueueTable
from desktop.ui.supervisor.staffing_table import StaffingTable
from desktop.ui.supervisor.staffing_why import StaffingWhy
from desktop.ui.supervisor.supervisor_pickers import choose_agent_state, choose_contact_to_monitor

REDRAW_EVERY_S = 0.05


class DeskChanged(Message):
    """The floor (`what` "floor") or a monitored contact ("monitor") changed: one pending redraw covers any number
    of events."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DeskChanged) and message.what == self.what


class SupervisorScreen(Screen):
    CSS_PATH = "supervisor_screen.tcss"
    BINDINGS = supervisor_bindings()  # from the command table (desktop/supervisor_desk/commands.py)

    def __init__(self, controller: SupervisorController) -> None:
        super().__init__()
        self.controller = controller
        self.desk = controller.desk
        self.clock = controller.now
        controller.floor_changed, controller.monitor_changed = partial(self._changed, "floor"), partial(self._changed, "monitor")
        self._keys_for: Panel | None = None
        self.last_focused_table = "#queues"
        self._last_redraw = 0.0
        self._pending: set[str] = set()  # the redraws asked for and not done yet
        self._redraw_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield FloorStatus(id="floor-status")
        yield QueueTable(id="queues")
        yield StaffingTable(id="staffing")
        yield StaffingWhy(id="staffing-why")
        yield AgentsBox(id="agents-box")
        yield MonitorPanel(id="monitor-panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Supervisor"
        queues = self.query_one(QueueTable)
        queues.draw(self.desk)
        queues.border_subtitle = "Av available · Bu busy/offered · AC after-contact work · NR not ready/missed"
        self.query_one("#staffing").border_title = "Staffing advice — Erlang C forecast from the last 30 minutes' load"
        self.query_one(AgentsBox).show(self.desk, self.clock())
        self.tick()
        self.set_interval(1.0, self.tick)
        self.run_worker(self.controller.follow_floor(), group="supervisor-stream", exclusive=True)
        if self.desk.can.monitoring:
            self.run_worker(self.controller.monitoring.follow(), group="supervisor-monitoring", exclusive=True)
        self.set_focus(queues)

    def on_resize(self, event: events.Resize) -> None:
        """80×24: the tables keep their key columns, the panels give rows to the agents."""
        self.set_class(event.size.height < SHORT_BELOW, "-short")
        for table in self.query(LiveTable):
            table.set_narrow(event.size.width < NARROW_BELOW)

    @work(group="supervisor-actions")
    async def run_use_case(self, use_case: Awaitable[object]) -> None:
        await use_case  # the controller turns a backend's refusal into a notice

    # --- drawing the desk -------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock()
        try:
            status, agents = self.query_one(FloorStatus), self.query_one(AgentTable)
        except NoMatches:  # the app is shutting down: the screen's children are gone before its timer
            return
        status.now = now
        agents.refresh_times(self.desk.floor, now)
        self._draw(self.desk.tick(now, time.monotonic()))

    def _changed(self, what: str) -> None:
        if what not in self._pending:  # one message stands for any number of changes
            self._pending.add(what)
            self.post_message(DeskChanged(what))

    def on_desk_changed(self, message: DeskChanged) -> None:
        """The floor: redrawn now, or at most REDRAW_EVERY_S after the last redraw (a burst of events, a thousand
        agents changing in the same second, costs a few redraws, not one per read). The monitored contacts: now."""
        if message.what == "monitor":
            self._pending.discard("monitor")
            order, changed = self.desk.monitored.take_changes()
            if order or changed:
                self.query_one(MonitorPanel).show(self.desk.monitored, order, changed, self.desk.agent_name, self.clock())
            self._refresh_keys()
        elif self._redraw_timer is None:  # (else one is already due)
            wait = self._last_redraw + REDRAW_EVERY_S - time.monotonic()
            self._redraw_timer = self.set_timer(wait, self.redraw) if wait > 0 else self.redraw()

    def redraw(self) -> None:
        """Bring the panels up to date with the floor (only what changed since the last redraw)."""
        self._redraw_timer, self._last_redraw = None, time.monotonic()
        self._pending.discard("floor")
        self._draw(self.desk.take_floor_changes(self.clock(), self._last_redraw))

    def _draw(self, changes: FloorChanges) -> None:
        """Each panel draws what changed of it; the toasts the desk has for the supervisor are shown."""
        desk = self.desk
        if changes.told:  # one notification for the alerts new since the last (the status line shows them all)
            words, title = plain(notification_text(changes.told)), literal_title(notification_title(changes.told))
            self.notify(words, title=title, severity="warning", timeout=8)
        for notice in desk.take_notices():
            self.notify(plain(notice.text), title=literal_title(notice.title), severity=notice.severity, timeout=notice.timeout)
        self.query_one(FloorStatus).draw(desk, changes)
        if changes.queues:
            self.query_one(QueueTable).draw(desk)
        if changes.staffing:
            self._show_staffing()
        if changes.agents or changes.reset:
            self.query_one(AgentsBox).show(desk, self.clock(), None if changes.reset else changes.agents)
        if changes.queues or changes.agents or changes.reset:
            self._refresh_keys()
        if changes.reset:  # a snapshot brought the rows the queue and agent keys act on: the footer says they apply
            self.refresh_bindings()

    def _show_staffing(self) -> None:
        """The advice in the queues' order, and why a level is low though the staffing suffices."""
        self.desk.staffing_drawn(time.monotonic())
        why, differs = self.desk.staffing_causes()
        self.query_one(StaffingTable).show(self.desk.floor, why, self.desk.shown_queue_order())
        self.query_one(StaffingWhy).show(self.desk.floor, why, differs)

    # --- the keys: which apply (the command table), and the panel they act on ------------

    def _row_key(self, selector: str) -> str | None:
        """The key of the row under the cursor; None before the table is composed (Textual asks `check_action`
        as soon as this screen is the app's, before its compose has run: f2 at that moment ended the demo)."""
        table = next(self.query(selector).results(LiveTable), None)
        return table.cursor_key if table is not None else None

    def _target_table(self) -> str:
        """The panel the supervisor is working in: the focused table, else the last one."""
        if self.focused is not None and self.focused.id in ("queues", "agents"):
            self.last_focused_table = f"#{self.focused.id}"
        return self.last_focused_table

    def _panel(self) -> Panel:
        table = self._target_table()
        return self.desk.panel(queues=table == "#queues", selected=self._row_key(table) is not None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """From the command table: a command that does not apply is left out of the footer and the palette."""
        return supervisor_enabled(self._panel()).get(action, True)

    def _refresh_keys(self) -> None:
        """The footer offers the keys of the panel in use, once its rows are there."""
        if (panel := self._panel()) != self._keys_for:
            self._keys_for = panel
            self.refresh_bindings()

    def why_not(self, action: str) -> str | None:
        """When a key that does not apply now would (the help screen, a key pressed in vain)."""
        return why_not(action, self.desk.can.monitoring)

    def on_descendant_focus(self) -> None:
        self._refresh_keys()

    # --- actions (every one has a key in the footer) -----------------------------------

    @on(LiveTable.RowSelected)
    def _row_selected(self, event: LiveTable.RowSelected) -> None:
        if event.table.id in ("queues", "agents"):
            self.last_focused_table = f"#{event.table.id}"
            self.action_details()

    def action_details(self) -> None:
        selector = self._target_table()
        if (key := self._row_key(selector)) is not None:
            drilldown = QueueDrilldown(self.controller, key) if selector == "#queues" else AgentDrilldown(self.controller, key)
            self.app.push_screen(drilldown, lambda contact_id: contact_id and self.join_contact(contact_id))

    def action_sort_queues(self) -> None:
        """A sort asked for shows its top (the worst queue); while the floor moves the cursor stays on its queue."""
        self.desk.sort_queues()
        table = self.query_one(QueueTable)
        table.draw(self.desk)
        table.move_cursor(0)
        self._show_staffing()

    def action_sort_agents(self) -> None:
        self.desk.sort_agents()
        self.query_one(AgentsBox).show(self.desk, self.clock())

    def action_filter_agents(self) -> None:
        self.query_one(AgentsBox).open_filter()

    def on_agents_box_filter_changed(self, message: AgentsBox.FilterChanged) -> None:
        self.desk.filter_agents(message.text)
        self.query_one(AgentsBox).show(self.desk, self.clock())

    def action_clear_filter(self) -> None:
        if self.desk.line is not None:  # escape on the whisper or barge line: closed, nothing sent
            self._close_line("")
        else:
            self.query_one(AgentsBox).clear_filter()

    def action_set_agent_state(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None:
            choose_agent_state(self, self.controller, agent_id)

    def action_log_out_agent(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None:
            self.run_use_case(self.controller.log_out_agent(agent_id))

    def action_priority_up(self) -> None:
        if (queue_id := self._row_key("#queues")) is not None:
            self.run_use_case(self.controller.change_priority(queue_id, +1))

    def action_priority_down(self) -> None:
        if (queue_id := self._row_key("#queues")) is not None:
            self.run_use_case(self.controller.change_priority(queue_id, -1))

    # --- monitoring (issue 22) ------------------------------------------------------------

    def join_contact(self, contact_id: str) -> Worker[None]:
        return self.run_use_case(self.controller.monitoring.join(contact_id))

    def action_monitor_contact(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None and self.desk.can.monitoring:
            choose_contact_to_monitor(self, self.controller, agent_id, self.join_contact)

    def _open_line(self, kind: str) -> None:
        opened = self.desk.open_line(kind)
        if isinstance(opened, Line):
            self.query_one(MonitorPanel).ask(opened.prompt)
        elif opened is not None:  # a call: whisper and barge are audio; the mode is what the desk sets
            self.run_use_case(self.controller.monitoring.join(*opened))

    def action_whisper(self) -> None:
        self._open_line("whisper")

    def action_barge(self) -> None:
        self._open_line("barge")

    def on_monitor_panel_line_submitted(self, event: MonitorPanel.LineSubmitted) -> None:
        self._close_line(event.value)

    def _close_line(self, text: str) -> None:
        said = self.desk.close_line(text)
        self.query_one(MonitorPanel).close_input()
        self.set_focus(self.query_one(self.last_focused_table))
        if said is not None:
            self.run_use_case(self.controller.monitoring.say(*said))

    def action_monitor_mode(self) -> None:
        self.run_use_case(self.controller.monitoring.next_mode())

    def action_leave_contact(self) -> None:
        if (current := self.desk.monitored.current()) is not None:
            self.run_use_case(self.controller.monitoring.leave(current.contact_id))

    def action_next_monitored(self) -> None:
        self.controller.monitoring.select_next()
