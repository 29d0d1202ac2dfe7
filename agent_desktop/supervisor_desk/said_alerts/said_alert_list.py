"""The alerts the contact center raised from what customers said (a listed word, a mood falling), one per contact
and cause, for as long as the customer is there (talking or on hold, not once the agent wraps up): they join the queue alerts on the status line and in
its notifications (coalesced, as those are), titled for what they are."""

from __future__ import annotations

from collections.abc import Callable

from agent_desktop.domain.supervisor.said_alerts import SaidAlert, SaidAlertEvent
from agent_desktop.staffing.alerts import notification_text
from agent_desktop.staffing.floor import Alert
from agent_desktop.supervisor_desk.urgent_assist.urgent_brief import UrgentBrief


def is_said(alert: Alert) -> bool:
    return alert.source == "said"


class SaidAlertList:
    """Held by contact and cause; the alerts table lists them newest first (`newest_first`), and one the supervisor
    dismissed (x) leaves it, the status line and the agent's ⚠ mark, though the customer is still there."""

    def __init__(self) -> None:
        self._alerts: dict[tuple[str, str], SaidAlert] = {}
        self._dismissed: set[str] = set()  # alert ids
        self._briefs: dict[str, UrgentBrief] = {}  # by contact: an urgent contact's summary and last contacts
        self._changed = False

    def apply(self, event: SaidAlertEvent) -> bool:
        """Whether it is new (the contact center raises one per contact and cause; a replay is not)."""
        key = (event.alert.contact_id, event.alert.cause)
        new = key not in self._alerts
        self._alerts[key] = event.alert
        self._changed = self._changed or new
        return new

    def holds(self, contact_id: str) -> bool:
        return any(key[0] == contact_id for key in self._alerts)

    def agents(self) -> frozenset[str]:
        """The agents whose contacts the alerts (as last worked out by `current`) are on."""
        return frozenset(alert.agent_id for alert in self._shown() if alert.agent_id)

    def reset(self, alerts: list[SaidAlert]) -> None:
        self._alerts = {(alert.contact_id, alert.cause): alert for alert in alerts}
        self._changed = True

    def dismiss(self, alert_id: str) -> bool:
        """The supervisor has seen it and leaves it; whether it was there to dismiss."""
        if self.get(alert_id) is None:
            return False
        self._dismissed.add(alert_id)
        self._changed = True
        return True

    def get(self, alert_id: str | None) -> SaidAlert | None:
        return next((alert for alert in self._shown() if alert.id == alert_id), None) if alert_id else None

    def newest_first(self) -> list[SaidAlert]:
        """What the alerts table lists: the urgent ones on top, then the freshest, where a supervisor looks for what
        just happened."""
        return sorted(self._shown(), key=lambda alert: (alert.urgent, alert.at, alert.id), reverse=True)

    def urgent(self) -> list[SaidAlert]:
        return [alert for alert in self._shown() if alert.urgent]

    def put_brief(self, brief: UrgentBrief) -> None:
        """An urgent contact's brief, as far as it was answered (kept while its alert is)."""
        if any(key == (brief.contact_id, "urgent") for key in self._alerts):
            self._briefs[brief.contact_id] = brief
            self._changed = True

    def brief(self, contact_id: str) -> UrgentBrief | None:
        return self._briefs.get(contact_id)

    def take_changed(self) -> bool:
        changed, self._changed = self._changed, False
        return changed

    def _shown(self) -> list[SaidAlert]:
        return [alert for alert in self._alerts.values() if alert.id not in self._dismissed]

    def current(self, going_on: Callable[[str], bool], queue_name: Callable[[str], str]) -> list[Alert]:
        """The alerts of conversations going on, the urgent ones first, then oldest first, as status-line alerts (the
        first is the one it names); the others are forgotten (the customer is gone)."""
        kept = {key: alert for key, alert in self._alerts.items() if going_on(alert.contact_id)}
        if len(kept) != len(self._alerts):
            self._alerts, self._changed = kept, True
            self._dismissed &= {alert.id for alert in kept.values()}
            self._briefs = {c: b for c, b in self._briefs.items() if (c, "urgent") in kept}
        ordered = sorted(self._shown(), key=lambda alert: (not alert.urgent, alert.at, alert.id))
        return [
            Alert(
                alert.queue_id,
                f"{alert.cause}:{alert.contact_id}",  # one per contact and cause
                f"{alert.agent_name or alert.agent_id or 'no agent'} · {alert.contact_id} "
                f"({queue_name(alert.queue_id)}): {alert.said()}",
                source="said",
            )
            for alert in ordered
        ]


def said_text(alerts: list[Alert]) -> str:
    """One notification for several, as the queues' (the first named, the rest counted); `j` on its row in the alerts
    table monitors the contact."""
    return notification_text(alerts, "on the status line") + "\nj on its row in the alerts monitors the contact"
