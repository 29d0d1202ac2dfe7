"""The supervisor screen's keys on the queue of raised flags and broadcasts (issue 45): answer a flag in its
thread, close it, monitor its contact (j, as from an agent), broadcast; and on the contacts monitored (issue 22):
whisper, barge, the next mode, leave, the next monitored contact. A screen class the supervisor screen extends, so
that the screen itself stays short; what each key does is the controller's (flag_use_cases.py,
monitoring_use_cases.py) and the monitor panel's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from agent_desktop.domain.models import Flag
from agent_desktop.ui.supervisor.live_table import LiveTable
from agent_desktop.ui.supervisor.monitor_panel import MonitorPanel
from agent_desktop.ui.supervisor.supervisor_pickers import choose_contact_to_monitor

if TYPE_CHECKING:
    from agent_desktop.supervisor_desk.controller import SupervisorController
    from agent_desktop.supervisor_desk.desk import SupervisorDesk
    from agent_desktop.ui.supervisor.broadcast_dialog import BroadcastChoice


class FlagKeys(Screen):
    desk: SupervisorDesk
    controller: SupervisorController
    last_focused_table: str

    if TYPE_CHECKING:  # the supervisor screen's

        def run_use_case(self, use_case: Any) -> Any: ...

        def _row_key(self, selector: str) -> str | None: ...

        def _refresh_keys(self) -> Any: ...

    def join_contact(self, contact_id: str) -> Any:
        """Monitor the contact (from a flag, a drill-down or an agent's contacts): the monitoring use case."""
        return self.run_use_case(self.controller.monitoring.join(contact_id))

    def flag_under_cursor(self) -> Flag | None:
        """The flag the keys act on: the row under the flags table's cursor, while that table is in use."""
        if self.last_focused_table != "#flags":
            return None
        table = next(self.query("#flags").results(LiveTable), None)
        return self.desk.flags.get(table.cursor_key) if table is not None and table.display else None

    def on_flag(self) -> bool:
        return self.flag_under_cursor() is not None

    def action_answer_flag(self) -> None:
        if (flag := self.flag_under_cursor()) is None:
            return
        from agent_desktop.ui.shared.flag_thread_dialog import FlagThreadDialog

        flags, flag_id = self.desk.flags, flag.id

        def send(text: str | None) -> None:
            if text:
                self.run_use_case(self.controller.flags.answer(flag_id, text))

        title = f"Flag of {flag.agent_name or flag.agent_id} · {flag.contact_id}"
        dialog = FlagThreadDialog(title, lambda: flags.get(flag_id) or flag, "Answer the agent (only they see it)")
        self.app.push_screen(dialog, send)

    def action_close_flag(self) -> None:
        if (flag := self.flag_under_cursor()) is not None:
            self.run_use_case(self.controller.flags.close(flag.id))

    def action_monitor_contact(self) -> None:
        """j: the flagged contact (in the flags table), else one of the agent's under the cursor."""
        if (flag := self.flag_under_cursor()) is not None and self.desk.can.monitoring:
            self.join_contact(flag.contact_id)
        elif (agent_id := self._row_key("#agents")) is not None and self.desk.can.monitoring:
            choose_contact_to_monitor(self, self.controller, agent_id, self.join_contact)

    def action_broadcast(self) -> None:
        if not self.desk.can.broadcasts:
            return
        from agent_desktop.ui.supervisor.broadcast_dialog import BroadcastDialog

        floor = self.desk.floor
        queues = [(queue_id, floor.queue_name(queue_id)) for queue_id in floor.queue_ids()]

        def send(choice: BroadcastChoice | None) -> None:
            if choice is not None:
                self.run_use_case(self.controller.flags.broadcast(choice.text, choice.minutes, choice.queue_id))

        self.app.push_screen(BroadcastDialog(queues), send)

    # --- the contacts monitored (issue 22) --------------------------------------------------------

    def on_monitor_panel_drawn(self) -> None:  # the keys that act on a monitored contact may apply now, or not
        self._refresh_keys()

    def on_monitor_panel_line_closed(self) -> None:
        self.set_focus(self.query_one(self.last_focused_table))

    def action_whisper(self) -> None:
        self.query_one(MonitorPanel).open_line("whisper")

    def action_barge(self) -> None:
        self.query_one(MonitorPanel).open_line("barge")

    def action_monitor_mode(self) -> None:
        self.run_use_case(self.controller.monitoring.next_mode())

    def action_leave_contact(self) -> None:
        if (current := self.desk.monitored.current()) is not None:
            self.run_use_case(self.controller.monitoring.leave(current.contact_id))

    def action_next_monitored(self) -> None:
        self.controller.monitoring.select_next()
