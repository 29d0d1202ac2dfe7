"""Queue statistics over a sliding window (15, 30 or 60 minutes) or since midnight UTC, worked out from scratch.

The server reads the same figures kept up to date as things happen (queue_figures.py); `queue_stats`
here walks what is held and is the oracle the tests hold those to (`Engine.queue_stats(from_scratch=True)`).

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

A day's figures do not keep a day of contacts: a finished contact that nothing has touched for longer
than the longest sliding window is folded into its queue's running totals for the day (`DayTotals`,
by the day each thing happened) and leaves memory; an agent's state segments are folded the same way
into time on contacts and time available. "today" adds those totals to what is still held. A finished
contact counts "within the threshold" by the threshold when it was folded. What is held is summed by the
minute (`FinishedLog`) and agents' time kept as running totals (`StateTimeline`), so a window over a
1,000-agent floor's last hour adds up minutes rather than walking 50,000 contacts.
`DayTotals` and `FinishedLog` are in finished_log.py, `StateTimeline` and `TimeTotals` in state_timeline.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from agent_desktop_mocks.ccaas.core.wire.schemas import (
    WAITING,
    Agent,
    AgentState,
    Contact,
    Queue,
    QueueStats,
    StatsWindow,
)
from agent_desktop_mocks.ccaas.figures.finished_log import DayTotals, FinishedLog
from agent_desktop_mocks.ccaas.figures.state_timeline import ON_CONTACTS, StateTimeline, TimeTotals

__all__ = [
    "NO_TOTALS",
    "ON_CONTACTS",
    "WINDOW_MINUTES",
    "answer_counts",
    "pct",
    "queue_stats",
    "window_start",
]

WINDOW_MINUTES = {"15m": 15, "30m": 30, "60m": 60}
NO_TOTALS: Mapping[str, DayTotals] = {}


def window_start(now: datetime, window: StatsWindow) -> datetime:
    if window == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now - timedelta(minutes=WINDOW_MINUTES[window])


def queue_stats(
    queues: list[Queue],
    contacts_by_queue: Mapping[str, Mapping[str, Contact]],
    finished_by_queue: Mapping[str, FinishedLog],
    agents: Mapping[str, Agent],
    queue_agents: Mapping[str, frozenset[str]],
    timelines: Mapping[str, StateTimeline[float]],
    now: datetime,
    window: StatsWindow = "today",
    self_served: Mapping[str, list[datetime]] | None = None,
    ewt: Mapping[str, float | None] | None = None,
    *,
    opened_at: datetime | None = None,
    earlier: Mapping[str, DayTotals] = NO_TOTALS,
    earlier_time: Mapping[str, TimeTotals] | None = None,
) -> list[QueueStats]:
    """`contacts_by_queue` has the open contacts, `finished_by_queue` the finished ones held; `earlier`
    (queue id → totals) and `earlier_time` (agent id → seconds) are what was folded out of memory for
    the window; only "today" reaches back that far."""
    start = window_start(now, window)
    t0 = start.timestamp()
    minutes = (now - max(start, opened_at or start)).total_seconds() / 60
    stats = []
    for queue in queues:
        waiting: list[Contact] = []
        callbacks: list[datetime] = []  # when each waiting caller asked to be called back
        arrived = cohort_abandoned = answered = within = abandoned = 0
        waits: list[float] = []
        threshold = queue.service_level_threshold_s
        for c in contacts_by_queue.get(queue.id, {}).values():  # open: waiting, or answered and not done
            if c.state in WAITING:
                waiting.append(c)
                if c.callback is not None:
                    callbacks.append(c.callback.requested_at)
            if c.entered_queue_at >= start:
                arrived += 1
            if c.answered_at is not None and c.answered_at >= start:
                wait = (c.answered_at - c.entered_queue_at).total_seconds()
                waits.append(wait)
                answered += 1
                within += wait <= threshold
        done = DayTotals()  # finished contacts: those held, in the window, and those folded (today)
        log = finished_by_queue.get(queue.id)
        if log is not None:
            log.set_threshold(threshold)
            done.add(log.window(t0))
        done.add(earlier.get(queue.id) or DayTotals())
        arrived += done.arrived
        cohort_abandoned += done.cohort_abandoned
        answered += done.answered
        within += done.within
        abandoned += done.abandoned
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
                **answer_counts(queue, arrived, answered, abandoned, within),
                asa_s=_mean(waits, done.wait_s, done.answered),
                aht_s=_mean([], done.handle_s, done.handled),
                abandonment_rate_pct=pct(cohort_abandoned, arrived),
                occupancy_pct=_occupancy(
                    [timelines[a.id] for a in mine if a.id in timelines],
                    start.timestamp(),
                    now.timestamp(),
                    [earlier_time[a.id] for a in mine if a.id in earlier_time] if earlier_time else [],
                ),
                arrival_rate_per_min=round(arrived / minutes, 4) if minutes > 0 else None,
                staffed=sum(1 for a in mine if a.state != AgentState.OFFLINE),
                agents_by_state=by_state,
                contained=sum(1 for at in (self_served or {}).get(queue.id, ()) if at >= start),
                ewt_s=(ewt or {}).get(queue.id),
                callbacks_pending=len(callbacks),
                oldest_callback_s=round((now - min(callbacks)).total_seconds(), 1) if callbacks else None,
            )
        )
    return stats


def _occupancy(
    timelines: list[StateTimeline[float]], start: float, end: float, folded: list[TimeTotals]
) -> float | None:
    busy = sum(t.on_contacts for t in folded)
    idle = sum(t.available for t in folded)
    for timeline in timelines:
        on_contacts, available = timeline.window(start, end)
        busy += on_contacts
        idle += available
    return round(100.0 * busy / (busy + idle), 1) if busy + idle > 0 else None


def answer_counts(queue: Queue, arrived: int, answered: int, abandoned: int, within: int) -> dict[str, Any]:
    """The counts of a queue's figures and its service level against its target (`QueueStats` fields)."""
    return {
        "arrived": arrived,
        "answered": answered,
        "abandoned": abandoned,
        "answered_within_threshold": within,
        "service_level_pct": pct(within, answered + abandoned),
        "service_level_target_pct": queue.service_level_target_pct,
        "service_level_threshold_s": queue.service_level_threshold_s,
    }


def pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(values: list[float], folded_sum: float = 0.0, folded_count: int = 0) -> float | None:
    count = len(values) + folded_count
    return round((sum(values) + folded_sum) / count, 1) if count else None
