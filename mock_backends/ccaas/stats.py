"""Queue statistics over a sliding window (15, 30 or 60 minutes) or since midnight UTC.

Definitions (docs/mock-apis.md, "Statistics"; they follow Amazon Connect's, shared/PRODUCT.md).
Counts go by when the thing happened, within the window:
- waiting: contacts queued or being offered now; longest wait: the oldest of them (not windowed).
- arrived: contacts that entered the queue; answered: contacts answered (first answer);
  abandoned: contacts whose caller gave up while queued or offered.
- service level: answered within the queue's threshold ÷ (answered + abandoned), in %.
  Short abandons are not excluded.
- ASA (average speed of answer): mean time from entering the queue to the answer, of those answered.
- AHT (average handle time): mean talk + hold + after-contact work (answer → completion) of contacts
  completed in the window.
- abandonment rate: of the contacts that arrived in the window, the share that abandoned, in %
  (contacts abandoned while waiting ÷ contacts queued).
- occupancy: over the agents with the queue's skills, time on contacts (offered, busy, after-contact
  work) ÷ (time on contacts + time available and idle), in %.
- arrival rate: arrived ÷ the window's minutes (for today: minutes since midnight), counted from when
  the contact center opened if that is later (its first contact or start-up, whichever came first).
- staffed: agents with the queue's skills who are not offline; agents by state: the same agents by state.
- contained: callers the IVR's self-service served for this queue in the window (they never queued).
- EWT: the estimated wait of a voice contact entering the queue now (engine.py says how).
- callbacks pending: queued or offered contacts whose caller asked to be called back (now, not
  windowed); oldest callback: the age of the oldest request among them.
A contact counts in the queue it is in now (a transferred or moved contact counts in its new queue).
A figure is None while there is nothing to compute it from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from mock_backends.ccaas.schemas import (
    WAITING,
    Agent,
    AgentState,
    Contact,
    ContactState,
    Queue,
    QueueStats,
    StatsWindow,
)

WINDOW_MINUTES = {"15m": 15, "30m": 30, "60m": 60}
ON_CONTACTS = frozenset({AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK})


def window_start(now: datetime, window: StatsWindow) -> datetime:
    if window == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now - timedelta(minutes=WINDOW_MINUTES[window])


def queue_stats(
    queues: list[Queue],
    contacts_by_queue: Mapping[str, Mapping[str, Contact]],
    agents: Mapping[str, Agent],
    queue_agents: Mapping[str, set[str]],
    segments: Mapping[str, list[tuple[float, AgentState]]],
    now: datetime,
    window: StatsWindow = "today",
    self_served: Mapping[str, list[datetime]] | None = None,
    ewt: Mapping[str, float | None] | None = None,
    *,
    opened_at: datetime | None = None,
) -> list[QueueStats]:
    start = window_start(now, window)
    minutes = (now - max(start, opened_at or start)).total_seconds() / 60
    stats = []
    for queue in queues:
        waiting: list[Contact] = []
        callbacks: list[Contact] = []
        arrived = cohort_abandoned = answered = within = abandoned = 0
        waits: list[float] = []
        handled: list[float] = []
        for c in contacts_by_queue.get(queue.id, {}).values():
            if c.state in WAITING:
                waiting.append(c)
                if c.callback is not None:
                    callbacks.append(c)
            if c.entered_queue_at >= start:
                arrived += 1
                if c.state == ContactState.ABANDONED:
                    cohort_abandoned += 1
            if c.answered_at is not None and c.answered_at >= start:
                wait = (c.answered_at - c.entered_queue_at).total_seconds()
                waits.append(wait)
                answered += 1
                if wait <= queue.service_level_threshold_s:
                    within += 1
            if c.state == ContactState.ABANDONED and c.ended_at is not None and c.ended_at >= start:
                abandoned += 1
            if c.state == ContactState.COMPLETED and c.completed_at and c.answered_at and c.completed_at >= start:
                handled.append((c.completed_at - c.answered_at).total_seconds())
        mine = [agents[a] for a in sorted(queue_agents.get(queue.id, ()))]
        by_state = {state.value: 0 for state in AgentState}
        for agent in mine:
            by_state[agent.state.value] += 1
        stats.append(
            QueueStats(
                queue_id=queue.id,
                queue_name=queue.name,
                window=window,
                waiting=len(waiting),
                longest_wait_s=round(max((now - c.entered_queue_at).total_seconds() for c in waiting), 1)
                if waiting
                else 0.0,
                arrived=arrived,
                answered=answered,
                abandoned=abandoned,
                answered_within_threshold=within,
                service_level_pct=_pct(within, answered + abandoned),
                service_level_target_pct=queue.service_level_target_pct,
                service_level_threshold_s=queue.service_level_threshold_s,
                asa_s=_mean(waits),
                aht_s=_mean(handled),
                abandonment_rate_pct=_pct(cohort_abandoned, arrived),
                occupancy_pct=_occupancy([segments.get(a.id, []) for a in mine], start.timestamp(), now.timestamp()),
                arrival_rate_per_min=round(arrived / minutes, 4) if minutes > 0 else None,
                staffed=sum(1 for a in mine if a.state != AgentState.OFFLINE),
                agents_by_state=by_state,
                contained=sum(1 for at in (self_served or {}).get(queue.id, ()) if at >= start),
                ewt_s=(ewt or {}).get(queue.id),
                callbacks_pending=len(callbacks),
                oldest_callback_s=round(max((now - c.callback.requested_at).total_seconds() for c in callbacks), 1)
                if callbacks
                else None,
            )
        )
    return stats


def recent_handle_s(contacts: Mapping[str, Contact], since: datetime) -> float | None:
    """Mean answer → completion of the contacts completed since then (None without any)."""
    handled = [
        (c.completed_at - c.answered_at).total_seconds()
        for c in contacts.values()
        if c.state == ContactState.COMPLETED and c.completed_at and c.answered_at and c.completed_at >= since
    ]
    return sum(handled) / len(handled) if handled else None


def _occupancy(all_segments: list[list[tuple[float, AgentState]]], start: float, end: float) -> float | None:
    busy = idle = 0.0
    for segments in all_segments:
        for i, (since, state) in enumerate(segments):
            until = segments[i + 1][0] if i + 1 < len(segments) else end
            overlap = min(until, end) - max(since, start)
            if overlap <= 0:
                continue
            if state in ON_CONTACTS:
                busy += overlap
            elif state == AgentState.AVAILABLE:
                idle += overlap
    return round(100.0 * busy / (busy + idle), 1) if busy + idle > 0 else None


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
