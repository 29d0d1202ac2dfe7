"""Every queue's figures kept up to date as the domain events arrive, so that a pass over 100 queues reads sums.

The definitions are stats.py's; `stats.queue_stats` works the same figures out from scratch and stays the
oracle (tests/unit/mocks/test_ccaas_queue_figures.py checks that both agree after any run of commands).
What is kept, per queue:
- the waiting contacts and the callbacks pending, with a heap each: the oldest is read in O(log n);
- each contact's moments (entering, answer, abandon, completion, in µs) summed by the minute, and for
  each window (15m, 30m, 60m, today) the sum of the minutes after its first one; as the window slides,
  the minutes that leave it are taken off, and the minute it starts in is added up from its contacts;
- its agents by state, and its agents' time on contacts and available as one running total each (the
  slope is how many of them are in such a state): a window's occupancy is two lookups.
Sums are integers (µs), so what is added and later taken away leaves nothing behind. A finished contact
that the projection folds out of memory (stats_projection.py) is forgotten here too: its minutes keep
its counts.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

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
from mock_backends.ccaas.stats import ON_CONTACTS, WINDOW_MINUTES

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
MINUTE = 60_000_000
WINDOWS: tuple[StatsWindow, ...] = ("15m", "30m", "60m", "today")
OFFLINE = AgentState.OFFLINE.value
# a contact's sums: arrived, of those abandoned, answered, within the threshold, wait (µs), abandoned,
# handled, handle time (µs)
ARRIVED, COHORT, ANSWERED, WITHIN, WAIT, ABANDONED, HANDLED, HANDLE = range(8)
Moment = tuple[int, tuple[int, ...]]  # (when in µs, what it adds)
# What is held of a contact (µs; None: it did not happen): entered, answered, wait, gave up (0/1), abandoned,
# completed, handle time. One tuple: a 1,000-agent floor holds some 55,000 contacts.
Record = tuple[int, int | None, int, int, int | None, int | None, int]


def us(at: datetime) -> int:
    return (at - EPOCH) // US


def window_start_us(now: datetime, window: StatsWindow) -> int:
    if window == "today":
        return us(now.replace(hour=0, minute=0, second=0, microsecond=0))
    return us(now - timedelta(minutes=WINDOW_MINUTES[window]))


def first_whole_minute(start: int) -> int:
    """The minute a window's running sum starts after: the one `start` falls in, or the one before when
    `start` is a minute's first µs (today's midnight)."""
    return -(-start // MINUTE) - 1


def record(contact: Contact) -> Record:
    """What the figures count of a contact (stats.py's definitions)."""
    entered = us(contact.entered_queue_at)
    gave_up = contact.state == ContactState.ABANDONED
    answered = us(contact.answered_at) if contact.answered_at is not None else None
    abandoned = us(contact.ended_at) if gave_up and contact.ended_at is not None else None
    completed = None
    if contact.state == ContactState.COMPLETED and contact.completed_at is not None and answered is not None:
        completed = us(contact.completed_at)
    return (
        entered,
        answered,
        answered - entered if answered is not None else 0,
        int(gave_up),
        abandoned,
        completed,
        completed - answered if completed is not None and answered is not None else 0,
    )


def moments(held: Record, threshold_us: int) -> list[Moment]:
    """What a contact adds to its queue's counts, by when."""
    entered, answered, wait, gave_up, abandoned, completed, handle = held
    out: list[Moment] = [(entered, (1, gave_up, 0, 0, 0, 0, 0, 0))]
    if answered is not None:
        out.append((answered, (0, 0, 1, int(wait <= threshold_us), wait, 0, 0, 0)))
    if abandoned is not None:
        out.append((abandoned, (0, 0, 0, 0, 0, 1, 0, 0)))
    if completed is not None:
        out.append((completed, (0, 0, 0, 0, 0, 0, 1, handle)))
    return out


def _push(heap: list[tuple[datetime, str]], at: datetime, cid: str, live: dict[str, datetime]) -> None:
    """Push onto a heap whose entries are dropped lazily (when `live` no longer says so); compacted when
    mostly stale."""
    heapq.heappush(heap, (at, cid))
    if len(heap) > 2 * len(live) + 64:
        heap[:] = [entry for entry in heap if live.get(entry[1]) == entry[0]]
        heapq.heapify(heap)


def _add(into: list[int], what: tuple[int, ...] | list[int], sign: int = 1) -> None:
    for i, n in enumerate(what):
        if n:
            into[i] += sign * n


class AgentTime:
    """One agent's states since it was first seen: running totals (µs) of time on contacts and available at
    each change, and at today's midnight (kept when older changes are dropped)."""

    __slots__ = ("starts", "states", "on_contacts", "available", "midnight")

    def __init__(self, since: int, state: AgentState, midnight: int) -> None:
        self.starts = [since]
        self.states = [state]
        self.on_contacts = [0]
        self.available = [0]
        self.midnight = self.at(midnight)  # the totals at today's midnight

    @property
    def state(self) -> AgentState:
        return self.states[-1]

    def change(self, since: int, state: AgentState) -> int | None:
        """The moment of the change (None: no change)."""
        if state == self.states[-1]:
            return None
        since = max(since, self.starts[-1])
        took = since - self.starts[-1]
        was = self.states[-1]
        self.on_contacts.append(self.on_contacts[-1] + (took if was in ON_CONTACTS else 0))
        self.available.append(self.available[-1] + (took if was == AgentState.AVAILABLE else 0))
        self.starts.append(since)
        self.states.append(state)
        return since

    def at(self, t: int) -> tuple[int, int]:
        if t <= self.starts[0]:
            return self.on_contacts[0], self.available[0]
        i = bisect.bisect_right(self.starts, t) - 1
        took = t - self.starts[i]
        state = self.states[i]
        return (
            self.on_contacts[i] + (took if state in ON_CONTACTS else 0),
            self.available[i] + (took if state == AgentState.AVAILABLE else 0),
        )

    def drop_before(self, line: int) -> None:
        n = bisect.bisect_left(self.starts, line) - 1
        if n > 0:
            for column in (self.starts, self.states, self.on_contacts, self.available):
                del column[:n]


class Crew:
    """The time of a queue's agents together: Σ of their running totals, as a line with a slope between
    changes (how many are on contacts, how many available)."""

    __slots__ = ("times", "on_contacts", "available", "n_on", "n_available")

    def __init__(self, members: Iterable[AgentTime]) -> None:
        changes: list[tuple[int, int, int, int]] = []  # (when, Δ on contacts now, Δ available now, 0)
        base_on = base_av = 0
        earliest = None
        for timeline in members:
            for i, (since, state) in enumerate(zip(timeline.starts, timeline.states, strict=True)):
                was = timeline.states[i - 1] if i else None
                d_on = (state in ON_CONTACTS) - (was in ON_CONTACTS if was is not None else 0)
                d_av = (state == AgentState.AVAILABLE) - (was == AgentState.AVAILABLE if was is not None else 0)
                changes.append((since, d_on, d_av, 0))
            base_on += timeline.on_contacts[0]
            base_av += timeline.available[0]
            earliest = timeline.starts[0] if earliest is None else min(earliest, timeline.starts[0])
        changes.sort()
        self.times = [earliest if earliest is not None else 0]
        self.on_contacts = [base_on]
        self.available = [base_av]
        self.n_on = [0]
        self.n_available = [0]
        for since, d_on, d_av, _ in changes:
            self._step(since, d_on, d_av)

    def _step(self, since: int, d_on: int, d_av: int) -> None:
        took = since - self.times[-1]
        on = self.on_contacts[-1] + self.n_on[-1] * took
        av = self.available[-1] + self.n_available[-1] * took
        if since == self.times[-1]:
            self.on_contacts[-1], self.available[-1] = on, av
            self.n_on[-1] += d_on
            self.n_available[-1] += d_av
            return
        self.times.append(since)
        self.on_contacts.append(on)
        self.available.append(av)
        self.n_on.append(self.n_on[-1] + d_on)
        self.n_available.append(self.n_available[-1] + d_av)

    def change(self, since: int, was: AgentState, now: AgentState) -> bool:
        """One member changed state at `since`; False if that is before what is kept (rebuild instead)."""
        available = AgentState.AVAILABLE
        d_on, d_av = (now in ON_CONTACTS) - (was in ON_CONTACTS), (now == available) - (was == available)
        if since >= self.times[-1]:
            self._step(since, d_on, d_av)
            return True
        if since < self.times[0]:
            return False
        # A change dated before others already counted (a timer that fired late): the line bends there,
        # and every later point moves by the new slope's difference.
        i = bisect.bisect_right(self.times, since) - 1
        if self.times[i] != since:
            on, av = self.at(since)
            i += 1
            self.times.insert(i, since)
            self.on_contacts.insert(i, on)
            self.available.insert(i, av)
            self.n_on.insert(i, self.n_on[i - 1])
            self.n_available.insert(i, self.n_available[i - 1])
        for j in range(i, len(self.times)):
            took = self.times[j] - since
            self.on_contacts[j] += d_on * took
            self.available[j] += d_av * took
            self.n_on[j] += d_on
            self.n_available[j] += d_av
        return True

    def at(self, t: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.times, t) - 1)
        took = max(0, t - self.times[i])
        return self.on_contacts[i] + self.n_on[i] * took, self.available[i] + self.n_available[i] * took

    def drop_before(self, line: int) -> None:
        n = bisect.bisect_left(self.times, line) - 1
        if n > 0:
            for column in (self.times, self.on_contacts, self.available, self.n_on, self.n_available):
                del column[:n]


class QueueCounts:
    """One queue: its waiting contacts, its contacts' moments by the minute and each window's running sum."""

    def __init__(self, cuts: Mapping[StatsWindow, int]) -> None:
        self.waiting: dict[str, datetime] = {}
        self.waiting_heap: list[tuple[datetime, str]] = []
        self.callbacks: dict[str, datetime] = {}
        self.callback_heap: list[tuple[datetime, str]] = []
        self.held: dict[str, Record] = {}
        self.minutes: dict[int, list[int]] = {}
        self.touching: dict[int, set[str]] = {}  # minute → the contacts held with a moment in it
        self.cut = dict(cuts)
        self.totals = {w: [0] * 8 for w in WINDOWS}
        self.threshold_us = 0

    # --- contacts ---------------------------------------------------------------

    def put(self, contact: Contact) -> None:
        cid = contact.id
        was_waiting, was_callback = self.waiting.get(cid), self.callbacks.get(cid)
        self.remove(cid)
        if contact.state in WAITING:
            self.waiting[cid] = contact.entered_queue_at
            if was_waiting != contact.entered_queue_at:
                _push(self.waiting_heap, contact.entered_queue_at, cid, self.waiting)
            if contact.callback is not None:
                self.callbacks[cid] = contact.callback.requested_at
                if was_callback != contact.callback.requested_at:
                    _push(self.callback_heap, contact.callback.requested_at, cid, self.callbacks)
        held = record(contact)
        self.held[cid] = held
        self._count(cid, held, 1)

    def remove(self, contact_id: str) -> None:
        self.waiting.pop(contact_id, None)
        self.callbacks.pop(contact_id, None)
        held = self.held.pop(contact_id, None)
        if held is not None:
            self._count(contact_id, held, -1)

    def forget(self, contact_id: str) -> None:
        """Folded out of memory: its counts stay in the minutes (and today's sum), the contact goes."""
        held = self.held.pop(contact_id, None)
        for at, _ in moments(held, self.threshold_us) if held is not None else ():
            touching = self.touching.get(at // MINUTE)
            if touching is not None:
                touching.discard(contact_id)

    def set_threshold(self, threshold_s: float) -> None:
        threshold_us = round(threshold_s * 1_000_000)
        if threshold_us != self.threshold_us:
            for cid, held in self.held.items():
                self._count(cid, held, -1)
            self.threshold_us = threshold_us
            for cid, held in self.held.items():
                self._count(cid, held, 1)

    def _count(self, cid: str, held: Record, sign: int) -> None:
        for at, what in moments(held, self.threshold_us):
            minute = at // MINUTE
            sums = self.minutes.get(minute)
            if sums is None:
                sums = self.minutes[minute] = [0] * 8
            _add(sums, what, sign)
            if sign > 0:
                self.touching.setdefault(minute, set()).add(cid)
            elif (touching := self.touching.get(minute)) is not None:
                touching.discard(cid)
            for window, cut in self.cut.items():
                if minute > cut:
                    _add(self.totals[window], what, sign)

    # --- windows ----------------------------------------------------------------

    def slide(self, cuts: Mapping[StatsWindow, int]) -> None:
        """Take off the minutes that left each window (`cuts`: `window_cuts` now); a new day starts today's
        sum again."""
        for window in WINDOWS:
            cut = cuts[window]
            old = self.cut[window]
            if cut <= old:
                continue
            self.cut[window] = cut
            total = self.totals[window]
            if window == "today":  # a new day: what is held from it (the older minutes may be gone)
                self.totals[window] = total = [0] * 8
                for minute, sums in self.minutes.items():
                    if minute > cut:
                        _add(total, sums)
            elif cut - old <= len(self.minutes):
                for minute in range(old + 1, cut + 1):
                    if (sums := self.minutes.get(minute)) is not None:
                        _add(total, sums, -1)
            else:
                for minute, sums in self.minutes.items():
                    if old < minute <= cut:
                        _add(total, sums, -1)

    def window(self, window: StatsWindow, start: int) -> list[int]:
        """The sums from `start` (µs) on; `slide` has been called for now."""
        total = list(self.totals[window])
        cut = self.cut[window]
        end = (cut + 1) * MINUTE  # the moments in the window's first minute, one by one
        if start >= end:
            return total  # it starts on a whole minute (today)
        for cid in self.touching.get(cut, ()):
            entered, answered, wait, gave_up, abandoned, completed, handle = self.held[cid]
            if start <= entered < end:
                total[ARRIVED] += 1
                total[COHORT] += gave_up
            if answered is not None and start <= answered < end:
                total[ANSWERED] += 1
                total[WITHIN] += wait <= self.threshold_us
                total[WAIT] += wait
            if abandoned is not None and start <= abandoned < end:
                total[ABANDONED] += 1
            if completed is not None and start <= completed < end:
                total[HANDLED] += 1
                total[HANDLE] += handle
        return total

    def drop_minutes_before(self, line: int) -> None:
        """Minutes before every sliding window and with no contact held: nothing reads them again."""
        keep_from = min(self.cut[w] for w in WINDOWS if w != "today")
        for minute in [m for m in self.minutes if m < line // MINUTE and m <= keep_from]:
            if not self.touching.get(minute):
                del self.minutes[minute]
                self.touching.pop(minute, None)

    def oldest(self, heap: list[tuple[datetime, str]], live: dict[str, datetime]) -> datetime | None:
        while heap and live.get(heap[0][1]) != heap[0][0]:
            heapq.heappop(heap)
        return heap[0][0] if heap else None


class QueueFigures:
    """Every queue's figures, kept from the events the projection applies (stats_projection.py)."""

    def __init__(self) -> None:
        self._queues: dict[str, QueueCounts] = {}
        self._agents: dict[str, AgentTime] = {}
        self._members: dict[str, frozenset[str]] = {}  # queue id → its agents, as last told
        self._stale: set[str] = set()  # queues whose crew is worked out again when next read
        self._crews: dict[str, Crew] = {}
        self._by_state: dict[str, dict[str, int]] = {}
        self._queues_of: dict[str, set[str]] = {}  # agent id → queues it counts in
        self._midnight: dict[str, tuple[int, int]] = {}  # queue id → its crew's totals at midnight
        self._day: datetime | None = None
        self._cuts_at: datetime | None = None
        self._cuts: dict[StatsWindow, int] = {}

    def reset(self, agents: Iterable[Agent], now: datetime) -> None:
        self.__init__()  # type: ignore[misc]
        self._day = _midnight(now)
        for agent in agents:
            self._agents[agent.id] = AgentTime(us(now), agent.state, us(self._day))

    def _queue(self, queue_id: str, now: datetime) -> QueueCounts:
        counts = self._queues.get(queue_id)
        if counts is None:
            counts = self._queues[queue_id] = QueueCounts(self._window_cuts(now))
        return counts

    def _window_cuts(self, now: datetime) -> dict[StatsWindow, int]:
        """Each window's first whole minute now (worked out once per moment: events come in bursts)."""
        if self._cuts_at != now:
            self._cuts_at = now
            self._cuts = {w: first_whole_minute(window_start_us(now, w)) for w in WINDOWS}
        return self._cuts

    # --- what happened -----------------------------------------------------------

    def put(self, contact: Contact, old_queue: str | None, now: datetime) -> None:
        if old_queue is not None and old_queue != contact.queue_id and old_queue in self._queues:
            self._queues[old_queue].remove(contact.id)
        counts = self._queue(contact.queue_id, now)
        counts.slide(self._window_cuts(now))
        counts.put(contact)

    def forget(self, queue_id: str, contact_id: str) -> None:
        if (counts := self._queues.get(queue_id)) is not None:
            counts.forget(contact_id)

    def agent_changed(self, agent: Agent, now: datetime) -> None:
        since = us(agent.state_since)
        timeline = self._agents.get(agent.id)
        if timeline is None:
            self._new_day(now)
            assert self._day is not None
            self._agents[agent.id] = AgentTime(since, agent.state, us(self._day))
            self._stale.update(self._queues_of.get(agent.id, ()))
            return
        was = timeline.state
        at = timeline.change(since, agent.state)
        if at is None:
            return
        for queue_id in self._queues_of.get(agent.id, ()):
            by_state = self._by_state[queue_id]
            by_state[was.value] -= 1
            by_state[agent.state.value] += 1
            if not self._crews[queue_id].change(at, was, agent.state):
                self._stale.add(queue_id)

    def fold(self, now: datetime, line: datetime, thresholds: Mapping[str, float]) -> None:
        """Drop what no window reads again: agents' changes and queue minutes before `line` (the projection
        forgets the contacts folded, after this: counted by the queues' thresholds now)."""
        self._new_day(now)
        cut = us(line)
        for queue_id, counts in self._queues.items():
            counts.set_threshold(thresholds.get(queue_id, 0.0))
            counts.slide(self._window_cuts(now))
            counts.drop_minutes_before(cut)
        for timeline in self._agents.values():
            timeline.drop_before(cut)
        for crew in self._crews.values():
            crew.drop_before(cut)

    def _new_day(self, now: datetime) -> None:
        midnight = _midnight(now)
        if self._day is not None and midnight <= self._day:
            return
        self._day = midnight
        at = us(midnight)
        for timeline in self._agents.values():
            timeline.midnight = timeline.at(at)
        for queue_id in self._crews:
            self._midnight[queue_id] = self._members_at_midnight(queue_id)

    def _members_at_midnight(self, queue_id: str) -> tuple[int, int]:
        on = av = 0
        for agent_id in self._members.get(queue_id, ()):
            if (timeline := self._agents.get(agent_id)) is not None:
                on += timeline.midnight[0]
                av += timeline.midnight[1]
        return on, av

    # --- the figures -------------------------------------------------------------

    def figures(
        self,
        queues: list[Queue],
        queue_agents: Mapping[str, set[str] | frozenset[str]],
        now: datetime,
        window: StatsWindow,
        self_served: Mapping[str, list[datetime]],
        ewt: Mapping[str, float | None] | None,
        opened_at: datetime | None,
    ) -> list[QueueStats]:
        self._new_day(now)
        start_at = now.replace(hour=0, minute=0, second=0, microsecond=0) if window == "today" else (
            now - timedelta(minutes=WINDOW_MINUTES[window])
        )
        start = us(start_at)
        end = us(now)
        minutes = (now - max(start_at, opened_at or start_at)).total_seconds() / 60
        cuts = self._window_cuts(now)
        ewt = ewt or {}
        out = []
        for queue in queues:
            qid = queue.id
            counts = self._queue(qid, now)
            counts.set_threshold(queue.service_level_threshold_s)
            counts.slide(cuts)
            members = queue_agents.get(qid, frozenset())
            if qid in self._stale or self._members.get(qid) != members:
                self._crew(qid, frozenset(members))
            t = counts.window(window, start)
            oldest = counts.oldest(counts.waiting_heap, counts.waiting)
            oldest_callback = counts.oldest(counts.callback_heap, counts.callbacks)
            arrived, answered, abandoned, within = t[ARRIVED], t[ANSWERED], t[ABANDONED], t[WITHIN]
            by_state = self._by_state[qid]
            crew = self._crews[qid]
            on_now, av_now = crew.at(end)
            on_then, av_then = self._midnight[qid] if window == "today" else crew.at(start)
            busy, idle = on_now - on_then, av_now - av_then
            served = self_served.get(qid)
            out.append(
                QueueStats(  # validating is quicker than model_construct (pydantic-core)
                    queue_id=qid,
                    queue_name=queue.name,
                    window=window,
                    waiting=len(counts.waiting),
                    longest_wait_s=round((now - oldest).total_seconds(), 1) if oldest is not None else 0.0,
                    arrived=arrived,
                    answered=answered,
                    abandoned=abandoned,
                    answered_within_threshold=within,
                    service_level_pct=_pct(within, answered + abandoned),
                    service_level_target_pct=queue.service_level_target_pct,
                    service_level_threshold_s=queue.service_level_threshold_s,
                    asa_s=_mean_s(t[WAIT], answered),
                    aht_s=_mean_s(t[HANDLE], t[HANDLED]),
                    abandonment_rate_pct=_pct(t[COHORT], arrived),
                    occupancy_pct=round(100.0 * busy / (busy + idle), 1) if busy + idle > 0 else None,
                    arrival_rate_per_min=round(arrived / minutes, 4) if minutes > 0 else None,
                    staffed=sum(by_state.values()) - by_state[OFFLINE],
                    agents_by_state=dict(by_state),
                    contained=len(served) - bisect.bisect_left(served, start_at) if served else 0,
                    ewt_s=ewt.get(qid),
                    callbacks_pending=len(counts.callbacks),
                    oldest_callback_s=round((now - oldest_callback).total_seconds(), 1)
                    if oldest_callback is not None
                    else None,
                )
            )
        return out

    def recent_handle(self, queue_id: str, window: StatsWindow, now: datetime) -> tuple[int, int]:
        """(handle time in µs, contacts handled) of the queue's contacts completed in the window."""
        counts = self._queues.get(queue_id)
        if counts is None:
            return 0, 0
        counts.slide(self._window_cuts(now))
        t = counts.window(window, window_start_us(now, window))
        return t[HANDLE], t[HANDLED]

    def _crew(self, queue_id: str, members: frozenset[str]) -> None:
        """The queue's agents changed (or were never known): count them again."""
        for agent_id in self._members.get(queue_id, frozenset()):
            self._queues_of.get(agent_id, set()).discard(queue_id)
        for agent_id in members:
            self._queues_of.setdefault(agent_id, set()).add(queue_id)
        self._members[queue_id] = members
        timelines = [self._agents[a] for a in members if a in self._agents]
        by_state = {state.value: 0 for state in AgentState}
        for agent_id in members:
            if (timeline := self._agents.get(agent_id)) is not None:
                by_state[timeline.state.value] += 1
        self._by_state[queue_id] = by_state
        self._crews[queue_id] = Crew(timelines)
        self._stale.discard(queue_id)
        self._midnight[queue_id] = self._members_at_midnight(queue_id)


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean_s(total_us: int, count: int) -> float | None:
    return round(total_us / count / 1_000_000, 1) if count else None
