"""One line above the supervisor's panels: the floor at a glance, the alerts, and the link."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from desktop.backends.link_status import LinkStatus
from desktop.staffing.floor import Alert
from desktop.ui.shared.link_words import link_problem, unreadable_events
from desktop.ui.plain_text import plain


class FloorStatus(Static):
    now: reactive[datetime | None] = reactive(None)
    link: reactive[LinkStatus | None] = reactive(None)  # None: connecting
    alerts: reactive[list[Alert]] = reactive(list, always_update=True)
    counts: reactive[tuple[int, int, int]] = reactive((0, 0, 0))  # queues, agents, waiting

    def render(self) -> Content:
        queues, agents, waiting = self.counts
        parts: list[Content | str | tuple[str, str]] = [("Supervisor", "bold")]
        if self.now is not None:
            parts += ["  ", (self.now.strftime("%H:%M:%S UTC"), "dim")]
        parts += [f"   {queues} queues · {agents} agents · {waiting} waiting"]
        if self.alerts:
            first = self.alerts[0]
            more = f" (+{len(self.alerts) - 1} more)" if len(self.alerts) > 1 else ""
            parts += ["   ", ("⚠ ALERT ", "bold $error"), plain(first.text, "$error"), (more, "$error")]
        else:
            parts += ["   ", ("✓ no alerts", "$success")]
        parts.append("   contact center ")
        if self.link is None:
            parts.append(("connecting…", "dim"))
        elif self.link.connected:
            parts += [("●", "$success"), " " if self.link.unreadable else "", unreadable_events(self.link)]
        else:
            parts += [("✕ ", "bold $error"), link_problem(self.link)]
        return Content.assemble(*parts)
