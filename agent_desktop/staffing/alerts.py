"""Which queue alerts to tell the supervisor about, and when: new ones only, grouped, never a storm.

The floor says which alerts hold now (`Floor.alerts`); the status line shows them all, always. A
notification is for what is new: alerts that appeared since the last one are gathered and told
together, at most once every TELL_EVERY (a hundred queues crossing their target in the same minute
make one notification naming them, not a hundred). An alert that cleared and comes back within
REARM_AFTER (a level hovering around its target) is shown again in the status line but not told
again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_desktop.staffing.floor import Alert

TELL_EVERY = timedelta(seconds=20)
REARM_AFTER = timedelta(seconds=60)
NAMED = 3  # alerts named in one notification; the others are counted


class AlertTracker:
    def __init__(self, tell_every: timedelta = TELL_EVERY, rearm_after: timedelta = REARM_AFTER) -> None:
        self.tell_every = tell_every
        self.rearm_after = rearm_after
        self.active: set[tuple[str, str]] = set()
        self._cleared_at: dict[tuple[str, str], datetime] = {}
        self._pending: list[tuple[str, str]] = []  # new since the last notification, oldest first
        self._told_at: datetime | None = None

    def update(self, alerts: list[Alert], now: datetime) -> list[Alert]:
        """The alerts to tell in one notification now (empty: nothing to tell yet)."""
        current = {(a.queue_id, a.kind): a for a in alerts}
        for key in self.active - current.keys():
            self._cleared_at[key] = now
        for key in [key for key in current if key not in self.active]:  # in the floor's order
            cleared = self._cleared_at.pop(key, None)
            if cleared is None or now - cleared >= self.rearm_after:
                self._pending.append(key)
        self.active = set(current)
        self._pending = [key for key in self._pending if key in current]  # cleared before being told
        if not self._pending or (self._told_at is not None and now - self._told_at < self.tell_every):
            return []
        told = [current[key] for key in self._pending]
        self._pending = []
        self._told_at = now
        return told


def notification_text(alerts: list[Alert], where: str = "marked ⚠ in the queues") -> str:
    """One notification for several alerts: the first NAMED in full, the rest counted (`where` they all show)."""
    lines = [alert.text for alert in alerts[:NAMED]]
    if len(alerts) > NAMED:
        lines.append(f"+{len(alerts) - NAMED} more ({where})")
    return "\n".join(lines)


def notification_title(alerts: list[Alert]) -> str:
    queues = len({alert.queue_id for alert in alerts})
    return "Queue alert" if len(alerts) == 1 else f"Queue alerts: {queues} queue{'s' if queues > 1 else ''}"
