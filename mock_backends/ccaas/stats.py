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
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

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
NO_TOTALS: Mapping[str, DayTotals] = {}


@dataclass
class DayTotals:
    """One queue's counts of finished contacts over a span: a day (those folded out of memory), a minute
    (`FinishedLog`'s sums) or a window being added up."""

    arrived: int = 0
    cohort_abandoned: int = 0  # of those arrived, the ones that abandoned
    answered: int = 0
    within: int = 0
    wait_s: float = 0.0  # entering the queue → answer, summed over `answered`
    abandoned: int = 0
    handled: int = 0
    handle_s: float = 0.0  # answer → completion, summed over `handled`

    def add(self, other: DayTotals) -> None:
        self.arrived += other.arrived
        self.cohort_abandoned += other.cohort_abandoned
        self.answered += other.answered
        self.within += other.within
        self.wait_s += other.wait_s
        self.abandoned += other.abandoned
        self.handled += other.handled
        self.handle_s += other.handle_s


@dataclass
class TimeTotals:
    """One agent's seconds for one day, of the state segments folded out of memory."""

    on_contacts: float = 0.0
    available: float = 0.0


NEVER = float("-inf")


class Finished(NamedTuple):
    """What the figures count of a finished contact, in epoch seconds (NEVER: it did not happen). Held
    instead of the contact: comparing floats is several times faster than reading a model's datetimes."""

    entered: float
    answered: float
    wait_s: float  # entering the queue → answer
    gave_up: bool  # the caller abandoned (counts in the abandonment rate of the window it arrived in)
    abandoned: float  # when they gave up
    completed: float  # when it was completed after an answer
    handle_s: float  # answer → completion

    @classmethod
    def of(cls, contact: Contact) -> Finished:
        answered, completed = contact.answered_at, contact.completed_at
        gave_up = contact.state == ContactState.ABANDONED
        handled = contact.state == ContactState.COMPLETED and completed is not None and answered is not None
        return cls(
            entered=contact.entered_queue_at.timestamp(),
            answered=answered.timestamp() if answered else NEVER,
            wait_s=(answered - contact.entered_queue_at).total_seconds() if answered else 0.0,
            gave_up=gave_up,
            abandoned=contact.ended_at.timestamp() if gave_up and contact.ended_at else NEVER,
            completed=completed.timestamp() if handled and completed else NEVER,
            handle_s=(completed - answered).total_seconds() if handled and completed and answered else 0.0,
        )

    @property
    def last_touched(self) -> float:
        return max(self.entered, self.answered, self.abandoned, self.completed)

    def moments(self) -> list[float]:
        return [at for at in (self.entered, self.answered, self.abandoned, self.completed) if at != NEVER]


def fold_finished(
    finished: Finished, threshold_s: float, totals: Callable[[float], DayTotals | None], sign: int = 1
) -> None:
    """Add (or with sign -1 take away) a finished contact to the totals of the days, or minutes, it
    happened in: `totals(at)` gives the record for that moment, or None to leave that moment out."""
    if (entered := totals(finished.entered)) is not None:
        entered.arrived += sign
        entered.cohort_abandoned += sign * finished.gave_up
    if finished.answered != NEVER and (day := totals(finished.answered)) is not None:
        day.answered += sign
        day.wait_s += sign * finished.wait_s
        day.within += sign * (finished.wait_s <= threshold_s)
    if finished.abandoned != NEVER and (day := totals(finished.abandoned)) is not None:
        day.abandoned += sign
    if finished.completed != NEVER and (day := totals(finished.completed)) is not None:
        day.handled += sign
        day.handle_s += sign * finished.handle_s


class FinishedLog:
    """A queue's finished contacts still held, with the sums of what happened in each minute (arrivals,
    answers, abandons, completions by their own minute): a window adds up whole minutes and looks at
    single contacts only in the minute where it starts. "Within the threshold" is counted by the
    queue's threshold (`set_threshold` counts again when it changes)."""

    def __init__(self) -> None:
        self.contacts: dict[str, Finished] = {}
        self._threshold_s = 0.0
        self._minutes: dict[int, DayTotals] = {}
        self._touching: dict[int, list[Finished]] = {}  # minute → the contacts with a moment in it

    def put(self, contact_id: str, finished: Finished) -> None:
        self.pop(contact_id)
        self.contacts[contact_id] = finished
        self._count(finished, 1)

    def pop(self, contact_id: str) -> Finished | None:
        finished = self.contacts.pop(contact_id, None)
        if finished is not None:
            self._count(finished, -1)
        return finished

    def set_threshold(self, threshold_s: float) -> None:
        if threshold_s != self._threshold_s:
            self._threshold_s = threshold_s
            for sums in self._minutes.values():
                sums.within = 0
            for finished in self.contacts.values():
                if finished.answered != NEVER and finished.wait_s <= threshold_s:
                    self._minutes[int(finished.answered // 60)].within += 1

    def window(self, start: float) -> DayTotals:
        """What happened from `start` on."""
        cut = int(start // 60)
        total = DayTotals()
        for minute, sums in self._minutes.items():
            if minute > cut:
                total.add(sums)
        for finished in self._touching.get(cut, ()):
            fold_finished(finished, self._threshold_s, lambda at: total if start <= at < (cut + 1) * 60 else None)
        return total

    def _count(self, finished: Finished, sign: int) -> None:
        fold_finished(finished, self._threshold_s, self._minute, sign)
        for minute in {int(at // 60) for at in finished.moments()}:
            touching = self._touching.setdefault(minute, [])
            if sign > 0:
                touching.append(finished)
            else:
                touching.remove(finished)
                if not touching:
                    del self._touching[minute]
                    del self._minutes[minute]

    def _minute(self, at: float) -> DayTotals:
        return self._minutes.setdefault(int(at // 60), DayTotals())


class StateTimeline:
    """One agent's states since some moment, with running totals of time on contacts and time available
    at each change: any window's two figures are two binary searches, not a walk over the segments."""

    __slots__ = ("starts", "states", "on_contacts", "available")

    def __init__(self, since: float, state: AgentState) -> None:
        self.starts = [since]
        self.states = [state]
        self.on_contacts = [0.0]  # up to each start
        self.available = [0.0]

    def change(self, since: float, state: AgentState) -> None:
        if state == self.states[-1]:
            return
        since = max(since, self.starts[-1])
        took = since - self.starts[-1]
        was = self.states[-1]
        self.on_contacts.append(self.on_contacts[-1] + (took if was in ON_CONTACTS else 0.0))
        self.available.append(self.available[-1] + (took if was == AgentState.AVAILABLE else 0.0))
        self.starts.append(since)
        self.states.append(state)

    def window(self, start: float, end: float) -> tuple[float, float]:
        """Seconds on contacts and seconds available between `start` and `end` (what is held of them)."""
        start = max(start, self.starts[0])
        if end <= start:
            return 0.0, 0.0
        a, b = self._at(start), self._at(end)
        return b[0] - a[0], b[1] - a[1]

    def drop_before(self, line: float) -> list[tuple[float, float, AgentState]]:
        """Remove the segments that ended before `line`; returns them as (since, until, state)."""
        n = bisect.bisect_left(self.starts, line) - 1  # segments 0..n-1 end at starts[1..n] < line
        if n <= 0:
            return []
        gone = [(self.starts[i], self.starts[i + 1], self.states[i]) for i in range(n)]
        for column in (self.starts, self.states, self.on_contacts, self.available):
            del column[:n]
        return gone

    def _at(self, t: float) -> tuple[float, float]:
        i = bisect.bisect_right(self.starts, t) - 1
        took = t - self.starts[i]
        state = self.states[i]
        return (
            self.on_contacts[i] + (took if state in ON_CONTACTS else 0.0),
            self.available[i] + (took if state == AgentState.AVAILABLE else 0.0),
        )


def fold_segment(
    since: float, until: float, state: AgentState, totals: Callable[[date], TimeTotals], tz: tzinfo | None
) -> None:
    """Add one state segment (epoch seconds) to the days it spans."""
    if state not in ON_CONTACTS and state != AgentState.AVAILABLE:
        return
    while since < until:
        day = datetime.fromtimestamp(since, tz).date()
        next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz).timestamp()
        end = min(until, next_midnight)
        time = totals(day)
        if state in ON_CONTACTS:
            time.on_contacts += end - since
        else:
            time.available += end - since
        since = end


def window_start(now: datetime, window: StatsWindow) -> datetime:
    if window == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now - timedelta(minutes=WINDOW_MINUTES[window])


def queue_stats(
    queues: list[Queue],
    contacts_by_queue: Mapping[str, Mapping[str, Contact]],
    finished_by_queue: Mapping[str, FinishedLog],
    agents: Mapping[str, Agent],
    queue_agents: Mapping[str, set[str]],
    timelines: Mapping[str, StateTimeline],
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
        callbacks: list[Contact] = []
        arrived = cohort_abandoned = answered = within = abandoned = 0
        waits: list[float] = []
        threshold = queue.service_level_threshold_s
        for c in contacts_by_queue.get(queue.id, {}).values():  # open: waiting, or answered and not done
            if c.state in WAITING:
                waiting.append(c)
                if c.callback is not None:
                    callbacks.append(c)
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
                arrived=arrived,
                answered=answered,
                abandoned=abandoned,
                answered_within_threshold=within,
                service_level_pct=_pct(within, answered + abandoned),
                service_level_target_pct=queue.service_level_target_pct,
                service_level_threshold_s=queue.service_level_threshold_s,
                asa_s=_mean(waits, done.wait_s, done.answered),
                aht_s=_mean([], done.handle_s, done.handled),
                abandonment_rate_pct=_pct(cohort_abandoned, arrived),
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
                oldest_callback_s=round(max((now - c.callback.requested_at).total_seconds() for c in callbacks), 1)
                if callbacks
                else None,
            )
        )
    return stats


def recent_handle_s(log: FinishedLog | None, since: datetime, folded: DayTotals | None = None) -> float | None:
    """Mean answer → completion of the contacts completed since then, with those folded (None without any)."""
    done = log.window(since.timestamp()) if log is not None else DayTotals()
    if folded is not None:
        done.add(folded)
    return done.handle_s / done.handled if done.handled else None


def _occupancy(
    timelines: list[StateTimeline], start: float, end: float, folded: list[TimeTotals]
) -> float | None:
    busy = sum(t.on_contacts for t in folded)
    idle = sum(t.available for t in folded)
    for timeline in timelines:
        on_contacts, available = timeline.window(start, end)
        busy += on_contacts
        idle += available
    return round(100.0 * busy / (busy + idle), 1) if busy + idle > 0 else None


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(values: list[float], folded_sum: float = 0.0, folded_count: int = 0) -> float | None:
    count = len(values) + folded_count
    return round((sum(values) + folded_sum) / count, 1) if count else None
