"""The agents panel: the agents table under its filter line, titled with the sort and the filter in use.

The sort and the filter are the supervisor's desk's (agent_desktop/supervisor_desk/agent_order.py): the box hands
them to the desk it is given, and draws the agents again from it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from agent_desktop.supervisor_desk.desk import SupervisorDesk
from agent_desktop.ui.plain_text import literal_title
from agent_desktop.ui.supervisor.agent_table import AgentTable


class AgentsBox(Vertical):
    def __init__(self, desk: SupervisorDesk, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.clock = clock
        self._titled_for: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Filter agents: words in name, state, reason or queue (escape clears)", id="agent-filter"
        )
        yield AgentTable(id="agents")

    def show(self, changed: set[str] | None = None) -> None:
        """The rows of the `changed` agents again; all of them, in the desk's sort and filter, without `changed`."""
        desk = self.desk
        table = self.query_one(AgentTable)
        table.sort_by, table.filter_text = desk.agent_sort, desk.agent_filter
        table.said_about = desk.said_agents  # agents on whose contacts a customer said something that alerts
        table.show(desk.floor, changed or set(), self.clock(), rebuild=changed is None)
        if self._titled_for != (desk.agent_sort, desk.agent_filter):
            self._titled_for = (desk.agent_sort, desk.agent_filter)
            shown = f" · filter “{desk.agent_filter}”" if desk.agent_filter else ""
            self.border_title = literal_title(
                f"Agents — sorted by {desk.agent_sort}{shown}"
            )  # the filter is typed text

    def sort(self) -> None:
        """By name → state → time in state → contacts."""
        self.desk.sort_agents()
        self.show()

    def open_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one(Input).focus()

    def clear_filter(self) -> None:
        self.query_one(Input).value = ""
        self.remove_class("-filtering")
        self.query_one(AgentTable).focus()

    @on(Input.Changed, "#agent-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.desk.filter_agents(event.value)
        self.show()

    @on(Input.Submitted, "#agent-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(AgentTable).focus()
