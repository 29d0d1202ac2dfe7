"""Supervisor mode: queue panels with alerts and Erlang C staffing advice, the agents table, the contacts monitored.

The screen draws the supervisor's desk (agent_desktop/supervisor_desk/) and sends its keys to the desk's controller,
whose use cases run in the screen's workers. The controller applies each event of the streams to the desk and
says so; the screen coalesces that into one `DeskChanged` per burst and each panel draws only what changed of
it (`SupervisorDesk.take_floor_changes`). No panel polls the backend.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header

from agent_desktop.supervisor_desk.changes import FloorChanges
from agent_desktop.supervisor_desk.commands import Panel, supervisor_enabled, why_not
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.command_bindings import supervisor_bindings
from agent_desktop.ui.plain_text import literal_title, plain, toast
from agent_desktop.ui.shared.breakpoints import NARROW_BELOW, SHORT_BELOW
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.supervisor.adherence_board import AdherenceBoardView
from agent_desktop.ui.supervisor.agent_drilldown import AgentDrilldown
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.agents_box import AgentsBox
from agent_desktop.ui.supervisor.flag_keys import FlagKeys
from agent_desktop.ui.supervisor.flags_table import FlagsTable
from agent_desktop.ui.supervisor.floor_status import FloorStatus
from agent_desktop.ui.supervisor.live_table import LiveTable
from agent_desktop.ui.supervisor.monitor_panel import MonitorPanel
from agent_desktop.ui.supervisor.quality_keys import open_evaluation
from agent_desktop.ui.supervisor.queue_drilldown import QueueDrilldown
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing_table import StaffingTable
from agent_desktop.ui.supervisor.staffing_why import StaffingWhy
from agent_desktop.ui.supervisor.supervisor_pickers import choose_agent_state, join_chosen
from agent_desktop.ui.supervisor.workforce_chart import WorkforceChart

REDRAW_EVERY_S = 0.05


class SupervisorScreen(FlagKeys):  # the keys on flags and monitored contacts: flag_keys.py
    CSS_PATH = "supervisor_screen.tcss"
    # from the command table (agent_desktop/supervisor_desk/commands.py)
    BINDINGS: ClassVar[list[BindingType]] = [*supervisor_bindings()]

    class FloorChanged(Message):
        """Something on the floor changed; one pending redraw covers any number of events."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SupervisorScreen.FloorChanged)

    def __init__(self, controller: SupervisorController) -> None:
        super().__init__()
        self.controller, self.desk, self.clock = controller, controller.desk, controller.now
        controller.floor_changed = self._floor_changed
        self._keys_for: Panel | None = None
        self.last_focused_table = "#queues"
        self._last_redraw, self._redraw_pending = 0.0, False
        self._redraw_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield FloorStatus(id="floor-status")
        yield FlagsTable(self.desk.flags, self.desk.floor.queue_name, id="flags")  # issue 45: oldest first
        yield QueueTable(id="queues")
        yield StaffingTable(id="staffing")
        yield StaffingWhy(id="staffing-why")
        yield WorkforceChart(self.controller, id="workforce")
        yield AdherenceBoardView(self.desk.adherence, self.clock, id="adherence")
        yield AgentsBox(self.desk, self.clock, id="agents-box")
        yield MonitorPanel(self.controller, id="monitor-panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Supervisor"
        self.controller.monitor_changed = self.query_one(MonitorPanel).changed
        self.query_one(QueueTable).draw(self.desk)
        self.query_one(AgentsBox).show()
        self.tick()
        self.set_interval(1.0, self.tick)
        self.run_worker(self.controller.follow_floor(), group="supervisor-stream", exclusive=True)
        if self.desk.can.monitoring:
            self.run_worker(self.controller.monitoring.follow(), group="supervisor-monitoring", exclusive=True)
        self.set_focus(self.query_one(QueueTable))

    def on_resize(self, event: events.Resize) -> None:
        """80×24: the tables keep their key columns, the panels give rows to the agents."""
        self.set_class(event.size.height < SHORT_BELOW, "-short")
        for table in self.query(LiveTable):
            table.set_narrow(event.size.width < NARROW_BELOW)

    @work(group="supervisor-actions")
    async def run_use_case(self, use_case: Awaitable[object]) -> None:
        await use_case  # the controller turns a backend's refusal into a notice

    def tick(self) -> None:
        if not self.app.is_running:  # shutting down: the widgets go before the screen's timer and messages do
            return
        status, agents = self.query_one(FloorStatus), self.query_one(AgentTable)
        status.now = now = self.clock()
        agents.refresh_times(self.desk.floor, now)
        self._draw(self.desk.tick(now, time.monotonic()))

    def _floor_changed(self) -> None:
        if not self._redraw_pending:  # one message stands for any number of changes
            self._redraw_pending = True
            self.post_message(self.FloorChanged())

    def on_supervisor_screen_floor_changed(self, _: SupervisorScreen.FloorChanged) -> None:
        """Redraw now, or at most REDRAW_EVERY_S after the last redraw: a burst of events
        (a thousand agents changing in the same second) costs a few redraws, not one per read."""
        if self._redraw_timer is None:  # (else one is already due)
            wait = self._last_redraw + REDRAW_EVERY_S - time.monotonic()
            if wait > 0:
                self._redraw_timer = self.set_timer(wait, self.redraw)
            else:
                self.redraw()

    def redraw(self) -> None:
        """Bring the panels up to date with the floor (only what changed since the last redraw)."""
        self._redraw_timer, self._redraw_pending, self._last_redraw = None, False, time.monotonic()
        if not self.app.is_running:  # (as in `tick`)
            return
        self._draw(self.desk.take_floor_changes(self.clock(), self._last_redraw))

    def _draw(self, changes: FloorChanges) -> None:
        """Each panel draws what changed of it; the toasts the desk has for the supervisor are shown."""
        desk = self.desk
        for n in desk.take_notices():
            toast(self, plain(n.text), title=literal_title(n.title), severity=n.severity, timeout=n.timeout)
        self.query_one(FloorStatus).draw(desk, changes)
        self.query_one(FlagsTable).show(self.clock())  # the flags' ages move with the clock
        if changes.queues:
            self.query_one(QueueTable).draw(desk)
        if changes.staffing:
            self._show_staffing()
        self.query_one(AdherenceBoardView).show(changes)
        if changes.agents or changes.reset:
            self.query_one(AgentsBox).show(None if changes.reset else changes.agents)
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

    def _panel(self) -> Panel:
        """Where the keys act: the focused table, else the one last focused."""
        if self.focused is not None and self.focused.id in ("queues", "agents", "flags"):
            self.last_focused_table = f"#{self.focused.id}"
        table = self.last_focused_table
        return self.desk.panel(
            queues=table == "#queues", selected=self._row_key(table) is not None, flag=self.on_flag()
        )

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
        return why_not(action, self.desk.can.monitoring, self.desk.can.broadcasts)

    def on_descendant_focus(self) -> None:  # the panel in use, and so its keys, may change
        self._refresh_keys()

    def on_live_table_row_selected(self, event: LiveTable.RowSelected) -> None:
        if event.table.id in ("queues", "agents"):
            self.last_focused_table = f"#{event.table.id}"
            self.action_details()

    def action_details(self) -> None:
        if (key := self._row_key(table := "#queues" if self._panel().queues else "#agents")) is not None:
            drilldown = (QueueDrilldown if table == "#queues" else AgentDrilldown)(self.controller, key)
            self.app.push_screen(drilldown, join_chosen(self.join_contact))

    def action_sort_queues(self) -> None:
        self.query_one(QueueTable).sort(self.desk)
        self._show_staffing()  # in the queues' new order at once

    # fmt: off
    def action_sort_agents(self) -> None: self.query_one(AgentsBox).sort()
    def action_filter_agents(self) -> None: self.query_one(AgentsBox).open_filter()
    def action_workforce(self) -> None: self.query_one(WorkforceChart).toggle()  # the gap chart (issue 47)
    def action_adherence(self) -> None: self.query_one(AdherenceBoardView).toggle()  # issue 47
    def action_priority_up(self) -> None: self._change_priority(+1)
    def action_priority_down(self) -> None: self._change_priority(-1)
    def action_evaluate(self) -> None: open_evaluation(self, self.controller)  # issue 47: quality_keys.py
    # fmt: on

    def action_clear_filter(self) -> None:
        if self.desk.line is not None:  # escape on the whisper or barge line: closed, nothing sent
            self.query_one(MonitorPanel).close_line("")
        else:
            self.query_one(AgentsBox).clear_filter()

    def action_set_agent_state(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None:
            choose_agent_state(self, self.controller, agent_id)

    def action_log_out_agent(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None:
            self.run_use_case(self.controller.log_out_agent(agent_id))

    def _change_priority(self, step: int) -> None:
        if (queue_id := self._row_key("#queues")) is not None:
            self.run_use_case(self.controller.change_priority(queue_id, step))
