"""The supervisor screen's body: its panels, one widget each, drawn from the supervisor's desk.

The floor's status line, the flags raised, the queues with their staffing advice and why, the gap chart, the
adherence board, the agents and the contacts monitored each draw themselves; the screen hands this what changed
(`draw`) and the clock's tick (`tick`), and this hands each panel what it draws (attributes down). What is the
screen's own (its keys, the dialogs, the pacing of redraws) stays on the screen (supervisor_screen.py).
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Header

from agent_desktop.supervisor_desk.changes import FloorChanges
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.plain_text import literal_title, plain, toast
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.agents_box import AgentsBox
from agent_desktop.ui.supervisor.alerts.flags_table import FlagsTable
from agent_desktop.ui.supervisor.alerts.said_alerts_table import SaidAlertsTable
from agent_desktop.ui.supervisor.alerts.urgent_brief_view import UrgentBriefView
from agent_desktop.ui.supervisor.floor_status import FloorStatus
from agent_desktop.ui.supervisor.live_table import LiveTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing.adherence_board import AdherenceBoardView
from agent_desktop.ui.supervisor.staffing.staffing_table import StaffingTable
from agent_desktop.ui.supervisor.staffing.staffing_why import StaffingWhy
from agent_desktop.ui.supervisor.staffing.workforce_chart import WorkforceChart


class SupervisorAreas(Widget):
    def __init__(self, controller: SupervisorController) -> None:
        super().__init__(id="areas")
        self.controller, self.desk, self.clock = controller, controller.desk, controller.now
        desk = self.desk
        self.status = FloorStatus(id="floor-status")
        self.flags = FlagsTable(desk.flags, desk.floor.queue_name, id="flags")  # oldest first
        self.said_alerts = SaidAlertsTable(desk.said, desk.floor.queue_name, id="said-alerts")  # newest first
        self.urgent = UrgentBriefView(desk.said, id="urgent-brief")  # the urgent contact on top, in words
        self.queues = QueueTable(id="queues")
        self.staffing = StaffingTable(id="staffing")
        self.staffing_why = StaffingWhy(id="staffing-why")
        self.workforce = WorkforceChart(controller, id="workforce")
        self.adherence = AdherenceBoardView(desk.adherence, self.clock, id="adherence")
        self.agents = AgentsBox(desk, self.clock, id="agents-box")
        self.monitor = MonitorPanel(controller, id="monitor-panel")

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield from (
            self.status,
            self.flags,
            self.said_alerts,
            self.urgent,
            self.queues,
            self.staffing,
            self.staffing_why,
        )
        yield self.workforce
        yield from (self.adherence, self.agents, self.monitor)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.queues.draw(self.desk)
        self.agents.show()

    def set_narrow(self, narrow: bool) -> None:
        """80 columns: the tables keep their key columns."""
        for table in self.query(LiveTable):
            table.set_narrow(narrow)

    def tick(self) -> FloorChanges:
        """The clock moved: the times on the floor, and what the desk's own tick changed."""
        self.status.now = now = self.clock()
        self.query_one(AgentTable).refresh_times(self.desk.floor, now)
        self.said_alerts.show(now)  # their ages: once a second, not with every draw (a busy floor holds many)
        self._asking()
        return self.desk.tick(now, time.monotonic())

    def draw(self, changes: FloorChanges) -> None:
        """Each panel draws what changed of it; the toasts the desk has for the supervisor are shown."""
        desk = self.desk
        for n in desk.take_notices():
            toast(self.screen, plain(n.text), title=literal_title(n.title), severity=n.severity, timeout=n.timeout)
        self.status.draw(desk, changes)
        self.flags.show(self.clock())  # the flags' ages move with the clock
        if changes.said or changes.reset:
            self.said_alerts.show(self.clock())
            self.urgent.show()
        self._asking()
        if changes.queues:
            self.queues.draw(desk)
        if changes.staffing:
            self.show_staffing()
        self.adherence.show(changes)
        if changes.agents or changes.reset:
            self.agents.show(None if changes.reset else changes.agents)

    def _asking(self) -> None:
        """Whether flags or alerts ask for the supervisor: on a short terminal the staffing advice gives them its
        place, and with both each keeps one row in sight (scrolled with its cursor), so the agents stay in view
        (supervisor_screen.tcss)."""
        self.set_class(bool(self.flags.display or self.said_alerts.display), "-asking")
        self.set_class(bool(self.flags.display and self.said_alerts.display), "-asking-both")
        self.make_room()

    def make_room(self) -> None:
        """A panel open under the floor (contacts monitored, the gap chart, the adherence board) takes the staffing
        advice's place, so rows of agents stay in view beside it (at 120×40 the agents' table showed none)."""
        self.set_class(bool(self.monitor.display or self.workforce.display or self.adherence.display), "-panel-open")

    def toggle_workforce(self) -> None:
        self.workforce.toggle()
        self.make_room()

    def toggle_adherence(self) -> None:
        self.adherence.toggle()
        self.make_room()

    def on_monitor_panel_drawn(self) -> None:  # (and the screen's, after: the keys on a monitored contact)
        self.make_room()

    def show_staffing(self) -> None:
        """The advice in the queues' order, and why a level is low though the staffing suffices."""
        self.desk.staffing_drawn(time.monotonic())
        why, differs, warming = self.desk.staffing_causes()
        self.staffing.show(self.desk.floor, why, self.desk.shown_queue_order())
        self.staffing_why.show(self.desk.floor, why, differs, warming)

    def sort_queues(self) -> None:
        self.queues.sort(self.desk)
        self.show_staffing()  # in the queues' new order at once
