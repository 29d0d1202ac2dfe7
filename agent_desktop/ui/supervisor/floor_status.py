"""One line above the supervisor's panels: the floor at a glance, the alerts, and the link."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.staffing.floor import Alert
from agent_desktop.supervisor_desk.changes import FloorChanges
from agent_desktop.supervisor_desk.desk import SupervisorDesk
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.link_words import link_problem, unreadable_events


class FloorStatus(Static):
    """The floor at a glance on one line; where that does not fit the terminal, its parts (the floor, the first
    alert, the link) go on lines of their own, wrapped, never cut (the alert names what the supervisor acts on)."""

    now: reactive[datetime | None] = reactive(None)
    link: reactive[LinkStatus | None] = reactive(None)  # None: connecting
    alerts: reactive[list[Alert]] = reactive(list, always_update=True)
    counts: reactive[tuple[int, int, int]] = reactive((0, 0, 0))  # queues, agents, waiting

    def draw(self, desk: SupervisorDesk, changes: FloorChanges) -> None:
        """What changed of the link, the alerts and the counts, from the supervisor's desk."""
        if changes.link:
            self.link = desk.link
        if changes.queues:
            self.alerts = desk.alerts
        if changes.queues or changes.agents or changes.reset:
            floor = desk.floor
            self.counts = (
                len(floor.queue_ids()),
                len(floor.agents),
                sum(floor.waiting_now(q)[0] for q in floor.queue_ids()),
            )

    def render(self) -> Content:
        queues, agents, waiting = self.counts
        parts: list[Content | str | tuple[str, str]] = [("Supervisor", "bold")]
        if self.now is not None:
            parts += ["  ", (self.now.strftime("%H:%M:%S UTC"), "dim")]
        parts += [f"   {queues} queues · {agents} agents · {waiting} waiting"]
        link: list[Content | str | tuple[str, str]] = ["   ", "contact center "]
        if self.link is None:
            link.append(("connecting…", "dim"))
        elif self.link.connected:
            link += [("●", "$success"), " " if self.link.unreadable else "", unreadable_events(self.link)]
        else:
            link += [("✕ ", "bold $error"), link_problem(self.link)]
        if self.alerts:
            first = self.alerts[0]
            more = f" (+{len(self.alerts) - 1} more)" if len(self.alerts) > 1 else ""
            alert = Content.assemble(("⚠ ALERT ", "bold $error"), plain(first.text, "$error"), (more, "$error"))
        else:
            alert = Content.assemble(("✓ no alerts", "$success"))
        width = self.content_region.width or self.app.size.width - 2
        # One line where it fits; else as many as it takes, each part whole where it can be (wrapped, not cut).
        lines: list[Content] = []
        for part in (Content.assemble(*parts), alert, Content.assemble(*link[1:])):
            if lines and lines[-1].cell_length + 3 + part.cell_length <= width:
                lines[-1] = Content.assemble(lines[-1], "   ", part)
            else:
                lines.append(part)
        return self._lines_are(Content("\n").join(lines))

    _drawn_as = 1  # lines, with the alert on its own or not

    def _lines_are(self, content: Content) -> Content:
        """A change of height lays the screen out again (only then: the wait in an alert moves every second)."""
        lines = 1 + content.plain.count("\n")
        if lines != self._drawn_as:
            self._drawn_as = lines
            self.call_after_refresh(self.refresh, layout=True)
        return content
