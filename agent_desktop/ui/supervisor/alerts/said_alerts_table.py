"""The alerts from what customers said, on the supervisor screen: one row per contact and cause while the customer
is there, the urgent ones first (URGENT and its reason in words), then newest first, with how long ago it was raised, the agent, the contact, its queue and what was said (a
listed word, the mood, a silence on a call). Hidden while there is none. `j` monitors the contact, `x` dismisses
the alert (the command table's keys); the rules are the desk's (supervisor_desk/said_alerts/said_alert_list.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.supervisor.said_alerts import SaidAlert
from agent_desktop.supervisor_desk.said_alerts.said_alert_list import SaidAlertList
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import cell, literal_title
from agent_desktop.ui.supervisor.live_table import LiveTable

COLUMNS = (
    Column("Raised", 6, "age", "right"),
    Column("Agent", 16, "agent"),
    Column("Contact", 10, "contact"),
    Column("Queue", 20, "queue"),
    Column("What", 24, "what"),
    Column("Said", 12, "text"),  # the flex column: its longest value where there is room, 12 at least
)


def alert_cells(alert: SaidAlert, now: datetime, queue_name: Callable[[str], str]) -> list[Text]:
    return [
        cell(format_duration((now - alert.at).total_seconds(), "compact")),
        cell(alert.agent_name or alert.agent_id or "no agent"),
        cell(alert.contact_id),
        cell(queue_name(alert.queue_id)),
        cell(alert.said(), "bold reverse red" if alert.urgent else "bold yellow"),
        cell(alert.text, limit=200),
    ]


class SaidAlertsTable(LiveTable):
    FLEX = "text"
    YIELDS = ()
    NARROW_HIDDEN = frozenset({"queue", "contact"})
    NAMES = frozenset({"queue"})

    def __init__(self, alerts: SaidAlertList, queue_name: Callable[[str], str], *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self._alerts = alerts
        self._queue_name = queue_name
        self.display = False

    def show(self, now: datetime) -> None:
        """The alerts held, newest first (a row repaints only if it reads differently)."""
        alerts = self._alerts.newest_first()
        self.show_rows([(alert.id, alert_cells(alert, now, self._queue_name)) for alert in alerts], widest="text")
        urgent = sum(alert.urgent for alert in alerts)
        first = f"{urgent} URGENT first, then " if urgent else ""
        self.border_title = literal_title(f"What customers said — {len(alerts)} ({first}newest first)")
        self.border_subtitle = literal_title("j monitor · x dismiss")
