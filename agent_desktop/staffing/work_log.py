"""What the supervisor's stream showed happening lately: arrivals, time on contacts, time not ready.

The server's statistics give the last 30 minutes as totals; the staffing advice also needs
who spent their time where and what changed in the last few minutes. Those are kept here
from the contact and agent events the floor already receives (no extra request), for as
long as the window needs them. What happened before the screen connected is known only in
part: contacts waiting or in hand at the snapshot, and each agent's current state since it
began; figures built from this log are therefore never above the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from agent_desktop.domain.models import Agent, Contact
from agent_desktop.domain.vocabulary import AWAY, IN_HAND, ContactState

KEEP = timedelta(minutes=30)


@dataclass
class Handled:
    """One contact's time in an agent's hands: answered → completed (None while in hand)."""

    agent_id: str
    queue_id: str
    answered_at: datetime
    completed_at: datetime | None


@dataclass
class Away:
    """A spell of Not ready or Missed."""

    agent_id: str
    reason: str | None
    since: datetime
    until: datetime | None = None


class WorkLog:
    def __init__(self) -> None:
        self.arrivals: dict[str, tuple[str, datetime]] = {}  # contact id → (queue it is in, entered queue at)
        self.handled: dict[str, Handled] = {}  # contact id → its time in an agent's hands
        self._handled_by: dict[str, dict[str, Handled]] = {}  # agent id → contact id → the same records
        self.away: dict[str, list[Away]] = {}  # agent id → their spells, oldest first
        self._open_away: dict[str, Away] = {}  # agent id → their current spell

    # --- fed by the floor -----------------------------------------------------------

    def saw_contact(self, contact: Contact) -> None:
        # A moved or transferred contact counts in the queue it is in now (as the server's statistics do).
        self.arrivals[contact.id] = (contact.queue_id, contact.entered_queue_at)
        if contact.answered_at is None or contact.agent_id is None:
            return
        if contact.state in IN_HAND or contact.state == ContactState.COMPLETED:
            before = self.handled.get(contact.id)
            if before is not None and before.agent_id != contact.agent_id:  # transferred to another agent
                self._handled_by.get(before.agent_id, {}).pop(contact.id, None)
            record = Handled(contact.agent_id, contact.queue_id, contact.answered_at, contact.completed_at)
            self.handled[contact.id] = record
            self._handled_by.setdefault(contact.agent_id, {})[contact.id] = record

    def saw_agent(self, agent: Agent) -> None:
        spell = self._open_away.get(agent.id)
        if agent.state in AWAY:
            if spell is not None and spell.since == agent.state_since:
                return  # the same spell (another field of the agent changed)
            if spell is not None:
                spell.until = agent.state_since
            spell = Away(agent.id, agent.reason, agent.state_since)
            self.away.setdefault(agent.id, []).append(spell)
            self._open_away[agent.id] = spell
        elif spell is not None:
            spell.until = agent.state_since
            del self._open_away[agent.id]

    def forget_before(self, cutoff: datetime) -> None:
        """Drop what ended before `cutoff` (called as time goes by: the log stays the window's size)."""
        self.handled = {k: h for k, h in self.handled.items() if h.completed_at is None or h.completed_at >= cutoff}
        self._handled_by = {}
        for contact_id, record in self.handled.items():
            self._handled_by.setdefault(record.agent_id, {})[contact_id] = record
        self.arrivals = {k: v for k, v in self.arrivals.items() if v[1] >= cutoff or k in self.handled}
        self.away = {
            agent_id: kept
            for agent_id, spells in self.away.items()
            if (kept := [s for s in spells if s.until is None or s.until >= cutoff])
        }

    # --- read by the staffing advice ------------------------------------------------

    def arrived(self, queue_id: str, since: datetime) -> int:
        return sum(1 for queue, at in self.arrivals.values() if queue == queue_id and at >= since)

    def handle_times(self, queue_id: str, since: datetime) -> list[float]:
        """Answer → completion of the queue's contacts completed since `since`, in seconds."""
        return [
            (h.completed_at - h.answered_at).total_seconds()
            for h in self.handled.values()
            if h.queue_id == queue_id and h.completed_at is not None and h.completed_at >= since
        ]

    def in_hand_for(self, queue_id: str, now: datetime) -> list[float]:
        """How long each of the queue's contacts in hand has been so far, in seconds."""
        return [
            (now - h.answered_at).total_seconds()
            for h in self.handled.values()
            if h.queue_id == queue_id and h.completed_at is None
        ]

    def time_on_contacts(self, agent_id: str, since: datetime, now: datetime) -> dict[str, float]:
        """Queue → seconds the agent spent on its contacts between `since` and `now`."""
        spent: dict[str, float] = {}
        for h in self._handled_by.get(agent_id, {}).values():
            seconds = _overlap(h.answered_at, h.completed_at or now, since, now)
            if seconds > 0:
                spent[h.queue_id] = spent.get(h.queue_id, 0.0) + seconds
        return spent

    def away_time(self, agent_id: str, since: datetime, now: datetime) -> tuple[float, set[str]]:
        """(seconds Not ready or Missed between `since` and `now`, the reasons given)."""
        seconds, reasons = 0.0, set()
        for spell in self.away.get(agent_id, ()):
            overlap = _overlap(spell.since, spell.until or now, since, now)
            if overlap > 0:
                seconds += overlap
                if spell.reason:
                    reasons.add(spell.reason)
        return seconds, reasons


def _overlap(start: datetime, end: datetime, window_start: datetime, window_end: datetime) -> float:
    return max(0.0, (min(end, window_end) - max(start, window_start)).total_seconds())
