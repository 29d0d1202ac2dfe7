"""Supervisor mode: queue panels with alerts and Erlang C staffing advice, the agents table, the flags raised and
the alerts from what customers said, the contacts monitored.

The screen's body is its panels (supervisor_areas.py), drawn from the supervisor's desk
(agent_desktop/supervisor_desk/); its dialogs are supervisor_dialogs.py. The screen holds the keys: which apply
(the command table, by the panel in use) and what each does, one line each, handed to the desk's controller, whose
use cases run in the screen's workers. The controller applies each event of the streams to the desk, which
announces what changed on its feed; the screen's pacer (agent_desktop/ui/shared/redraw_pacer.py) coalesces that into
one redraw per burst, at most every REDRAW_EVERY_S, and each panel draws only what changed of it
(`SupervisorDesk.take_floor_changes`). No panel polls the backend.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen

from agent_desktop.domain.models import Flag
from agent_desktop.supervisor_desk.changes import FloorChanges
from agent_desktop.supervisor_desk.commands import Panel, supervisor_enabled, why_not
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.keys.command_bindings import supervisor_bindings
from agent_desktop.ui.shared.breakpoints import NARROW_BELOW, SHORT_BELOW
from agent_desktop.ui.shared.redraw_pacer import RedrawPacer
from agent_desktop.ui.supervisor.live_table import LiveTable
from agent_desktop.ui.supervisor.supervisor_areas import SupervisorAreas
from agent_desktop.ui.supervisor.supervisor_dialogs import SupervisorDialogs
from agent_desktop.ui.supervisor.supervisor_pickers import choose_agent_state

# A floor of 1,000 agents changes hundreds of times a second: a burst costs a few redraws, not one per event.
REDRAW_EVERY_S = 0.05
TABLES = ("queues", "agents", "flags", "said-alerts")  # the panels whose rows the keys act on


class SupervisorScreen(Screen[None]):
    CSS_PATH = "supervisor_screen.tcss"
    # from the command table (agent_desktop/supervisor_desk/commands.py)
    BINDINGS: ClassVar[list[BindingType]] = [*supervisor_bindings()]

    def __init__(self, controller: SupervisorController) -> None:
        super().__init__()
        self.controller, self.desk, self.clock = controller, controller.desk, controller.now
        self.pacer = RedrawPacer(self, self.redraw, feeds=(self.desk.feed,), every_s=REDRAW_EVERY_S)
        self.areas = SupervisorAreas(controller)
        self.dialogs = SupervisorDialogs(self.app, controller, run=self.run_use_case)
        self._keys_for: Panel | None = None
        self.last_focused_table = "#queues"

    def compose(self) -> ComposeResult:
        yield self.areas

    def on_mount(self) -> None:
        self.title = "Supervisor"
        self.tick()
        self.set_interval(1.0, self.tick)
        self.run_worker(self.controller.follow_floor(), group="supervisor-stream", exclusive=True)
        if self.desk.can.monitoring:
            self.run_worker(self.controller.monitoring.follow(), group="supervisor-monitoring", exclusive=True)
            self.run_worker(self.controller.phone.follow(), group="supervisor-phone", exclusive=True)
        self.set_focus(self.areas.queues)

    def on_unmount(self) -> None:
        self.pacer.stop()

    def on_resize(self, event: events.Resize) -> None:
        """80×24: the tables keep their key columns, the panels give rows to the agents."""
        self.set_class(event.size.height < SHORT_BELOW, "-short")
        self.areas.set_narrow(event.size.width < NARROW_BELOW)

    @work(group="supervisor-actions")
    async def run_use_case(self, use_case: Awaitable[object]) -> None:
        await use_case  # the controller turns a backend's refusal into a notice

    # --- the floor's changes, one redraw per burst --------------------------------------------

    def tick(self) -> None:
        if not self.app.is_running:  # shutting down: the widgets go before the screen's timer and messages do
            return
        self._draw(self.areas.tick())

    def redraw(self) -> None:
        """Bring the panels up to date with the floor (only what changed since the last redraw): the pacer's."""
        if not self.app.is_running:  # (as in `tick`)
            return
        self._draw(self.desk.take_floor_changes(self.clock(), time.monotonic()))

    def _draw(self, changes: FloorChanges) -> None:
        self.areas.draw(changes)
        if changes.queues or changes.agents or changes.reset:
            self._refresh_keys()
        if changes.reset:  # a snapshot brought the rows the queue and agent keys act on: the footer says they apply
            self.refresh_bindings()

    # --- the keys: which apply (the command table), and the panel they act on ------------

    def _row_key(self, selector: str) -> str | None:
        """The key of the row under the cursor; None before the table is composed (Textual asks `check_action`
        as soon as this screen is the app's, before its compose has run: f2 at that moment ended the demo)."""
        table = next(self.query(selector).results(LiveTable), None)
        return table.cursor_key if table is not None else None

    def flag_under_cursor(self) -> Flag | None:
        """The flag the keys act on: the row under the flags table's cursor, while that table is in use."""
        return self.desk.flags.get(self._in_use_row("#flags"))

    def _in_use_row(self, selector: str) -> str | None:
        """The key of the row under the cursor of the flags or the alerts table, while that table is in use."""
        table = next(self.query(selector).results(LiveTable), None) if self.last_focused_table == selector else None
        return table.cursor_key if table is not None and table.display else None

    def _panel(self) -> Panel:
        """Where the keys act: the focused table, else the one last focused."""
        if self.focused is not None and self.focused.id in TABLES:
            self.last_focused_table = f"#{self.focused.id}"
        table = self.last_focused_table
        return self.desk.panel(
            queues=table == "#queues",
            selected=self._row_key(table) is not None,
            flag=self.flag_under_cursor() is not None,
            alert=self.desk.said.get(self._in_use_row("#said-alerts")) is not None,
            ask=self.controller.ask_floor.available,
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

    def on_monitor_panel_drawn(self) -> None:  # the keys that act on a monitored contact may apply now, or not
        self._refresh_keys()

    def on_monitor_panel_line_closed(self) -> None:
        self.set_focus(self.query_one(self.last_focused_table))

    def on_live_table_row_selected(self, event: LiveTable.RowSelected) -> None:
        if event.table.id in ("queues", "agents"):
            self.last_focused_table = f"#{event.table.id}"
            self.action_details()

    # --- what each key does --------------------------------------------------------------------

    def action_details(self) -> None:
        if self._panel().queues:
            self.dialogs.details(queue_id=self._row_key("#queues"))
        else:
            self.dialogs.details(agent_id=self._row_key("#agents"))

    def action_clear_filter(self) -> None:
        if self.desk.line is not None:  # escape on the whisper or barge line: closed, nothing sent
            self.areas.monitor.close_line("")
        else:
            self.areas.agents.clear_filter()

    def action_set_agent_state(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None:
            choose_agent_state(self, self.controller, agent_id)

    def action_log_out_agent(self) -> None:
        if (agent_id := self._row_key("#agents")) is not None:
            self.run_use_case(self.controller.log_out_agent(agent_id))

    def action_answer_flag(self) -> None:
        if (flag := self.flag_under_cursor()) is not None:
            self.dialogs.answer_flag(flag)

    def action_close_flag(self) -> None:
        if (flag := self.flag_under_cursor()) is not None:
            self.run_use_case(self.controller.flags.close(flag.id))

    def action_dismiss_alert(self) -> None:
        self.desk.dismiss_said(self._in_use_row("#said-alerts") or "")
        self.pacer.settle()  # gone in the key's turn

    def action_monitor_contact(self) -> None:
        """j: the flagged contact (in the flags table), the alert's (in the alerts table), else one of the agent's
        under the cursor."""
        if not self.desk.can.monitoring:
            return
        if (flag := self.flag_under_cursor()) is not None:
            self.dialogs.join(flag.contact_id)
        elif (alert := self.desk.said.get(self._in_use_row("#said-alerts"))) is not None:
            self.dialogs.join(alert.contact_id)
        elif (agent_id := self._row_key("#agents")) is not None:
            self.dialogs.monitor_agent(agent_id)

    def action_broadcast(self) -> None:
        if self.desk.can.broadcasts:
            self.dialogs.broadcast()

    def action_take_over(self) -> None:
        if (current := self.desk.monitored.current()) is not None:
            self.dialogs.take_over(current.contact_id, self.desk.agent_name(current.session.agent_id))

    def action_leave_contact(self) -> None:
        if (current := self.desk.monitored.current()) is not None:
            self.run_use_case(self.controller.monitoring.leave(current.contact_id))

    def _change_priority(self, step: int) -> None:
        if (queue_id := self._row_key("#queues")) is not None:
            self.run_use_case(self.controller.change_priority(queue_id, step))

    # fmt: off
    def action_sort_queues(self) -> None: self.areas.sort_queues()
    def action_sort_agents(self) -> None: self.areas.agents.sort()
    def action_filter_agents(self) -> None: self.areas.agents.open_filter()
    def action_workforce(self) -> None: self.areas.toggle_workforce()
    def action_adherence(self) -> None: self.areas.toggle_adherence()
    def action_priority_up(self) -> None: self._change_priority(+1)
    def action_priority_down(self) -> None: self._change_priority(-1)
    def action_evaluate(self) -> None: self.dialogs.choose_evaluation()
    def action_ask_floor(self) -> None: self.dialogs.ask_floor()
    def action_whisper(self) -> None: self.areas.monitor.open_line("whisper")
    def action_barge(self) -> None: self.areas.monitor.open_line("barge")
    def action_monitor_mode(self) -> None: self.run_use_case(self.controller.monitoring.next_mode())
    def action_next_monitored(self) -> None: self.controller.monitoring.select_next()
    # fmt: on
