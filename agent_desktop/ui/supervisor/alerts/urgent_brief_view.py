"""Under the alerts from what customers said: the brief of the urgent contact on top, in words (URGENT, who, why),
then the assistant's summary of it and the customer's last contacts, each on its line, every backend text literal.
Hidden while no contact is urgent; the rules are the desk's (supervisor_desk/urgent_assist/)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agent_desktop.supervisor_desk.said_alerts.said_alert_list import SaidAlertList
from agent_desktop.ui.plain_text import plain

MARK = ("‼ URGENT ", "bold reverse $error")


class UrgentBriefView(Static):
    _shown: Content | None = None

    def __init__(self, alerts: SaidAlertList, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._alerts = alerts
        self.display = False

    def show(self) -> None:
        urgent = [alert for alert in self._alerts.newest_first() if alert.urgent]
        if not urgent:
            self.display = False
            return
        alert = urgent[0]
        brief = self._alerts.brief(alert.contact_id)
        more = f" (and {len(urgent) - 1} more urgent)" if len(urgent) > 1 else ""
        lines = [
            Content.assemble(
                MARK,
                " ",
                plain(f"{alert.agent_name or alert.agent_id or 'no agent'} · {alert.contact_id}: ", "bold"),
                plain(alert.reason or "urgent assist", "bold"),
                f"{more} · j monitor, then w whisper, b barge",
            ),
            plain(brief.summary if brief is not None else "Summary: asking the assistant…"),
            plain(brief.last_contacts if brief is not None else "Last contacts: asking the CRM…"),
        ]
        if brief is not None and brief.impact:
            lines.append(plain(brief.impact, "bold"))
        shown = Content("\n").join(lines)
        self.display = True
        if shown != self._shown:
            self._shown = shown
            self.update(shown)
