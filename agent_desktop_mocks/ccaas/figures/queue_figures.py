"""Every queue's figures kept up to date as the domain events arrive, so that a pass over 100 queues reads sums.

The definitions are stats.py's; `stats.queue_stats` works the same figures out from scratch and stays the
oracle (tests/unit/mocks/test_ccaas_queue_figures.py checks that both agree after any run of commands).
What is kept, per queue:
- the waiting contacts and the callbacks pending, with a heap each: the oldest is read in O(log n);
- each contact's moments (entering, answer, abandon, completion, in µs) summed by the minute, and for
  each window (15m, 30m, 60m, today) the sum of the minutes after its first one; as the window slides,
  the minutes that leave it are taken off; of the minute it starts in, the moments in order of time (kept so
  as they are counted) and the sum of those after the window's start, kept by taking off the moments the start
  passes (`Edge`, changed in place when one of them changes);
- its agents by state, and its agents' time on contacts and available as one running total each (the
  slope is how many of them are in such a state): a window's occupancy is two lookups.
Sums are integers (µs), so what is added and later taken away leaves nothing behind. A finished contact
that the projection folds out of memory (stats_projection.py) is forgotten here too: its minutes keep
its counts.
The parts: one queue's counts (queue_counts.py), agents' time (agent_time.py); this module keeps them per
queue and reads the figures out of them as rows (`QueueStats`' fields, JSON-ready: dicts): a push compares and
sends those as they are (stats_push.py); only the API's answer is made `QueueStats` (`as_stats`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, Contact, Queue, QueueStats, StatsWindow
from agent_desktop_mocks.ccaas.figures.agent_time import AgentTime, Crew
from agent_desktop_mocks.ccaas.figures.queue_counts import (
    HANDLE,
    HANDLED,
    MINUTE,
    SLIDING,
    WINDOWS,
    QueueCounts,
    first_whole_minute,
    us,
    window_start_us,
)
from agent_desktop_mocks.ccaas.figures.stats import WINDOW_MINUTES

__all__ = ["FIELDS", "WINDOWS", "QueueFigures", "Row", "as_stats"]

OFFLINE = AgentState.OFFLINE.value
_NOBODY: frozenset[str] = frozenset()
FIELDS = tuple(QueueStats.model_fields)  # a row's keys, in this order (the push's JSON keys)
Row = dict[str, Any]  # one queue's figures for one window: `QueueStats`' fields, JSON-ready


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
        self._today_cut = (0, 0)  # (the day's ordinal, today's first whole minute)

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
        """Each window's first whole minute now (worked out once per moment: events come in bursts). The same
        mapping until one of them moves, about once a minute: a queue already slid to it is not slid again."""
        if self._cuts_at != now:
            self._cuts_at = now
            day = now.toordinal()
            if day != self._today_cut[0]:
                self._today_cut = (day, first_whole_minute(window_start_us(now, "today")))
            end = us(now)  # a sliding window starts its minutes before now: integers, not datetimes (every command)
            cuts = {w: first_whole_minute(end - MINUTE * WINDOW_MINUTES[w]) for w in SLIDING}
            cuts["today"] = self._today_cut[1]
            if cuts != self._cuts:
                self._cuts = cuts
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

    def forget_finished_before(self, line: datetime) -> list[str]:
        """Forget the finished contacts whose last moment counted is before `line` (folded out of memory: their
        minutes keep their counts); returns their ids."""
        cut = us(line)
        gone: list[str] = []
        for counts in self._queues.values():
            done = [contact_id for contact_id, at in counts.finished.items() if at < cut]
            for contact_id in done:
                counts.forget(contact_id)
            gone += done
        return gone

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
        was_key, now_key = was.value, agent.state.value  # an enum's `.value` is a property: read once
        for queue_id in self._queues_of.get(agent.id, ()):
            by_state = self._by_state[queue_id]
            by_state[was_key] -= 1
            by_state[now_key] += 1
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
        queue_agents: Mapping[str, frozenset[str]],
        now: datetime,
        windows: tuple[StatsWindow, ...],
        self_served: Mapping[str, list[datetime]],
        ewt: Mapping[str, float | None] | None,
        opened_at: datetime | None,
    ) -> list[list[Row]]:
        """Every queue's figures for each window as rows (dicts of `QueueStats`' fields in order, JSON-ready: a push
        sends them as they are, `QueueStats` is made of one only for the API), in one walk: what windows share (who
        waits, the agents, the estimated wait) is read once a queue."""
        self._new_day(now)
        end = us(now)
        cuts = self._window_cuts(now)
        ewt = ewt or {}
        spans = []  # a window's name, start, start in µs and length in minutes (arrival rates)
        for window in windows:
            start_at = _midnight(now) if window == "today" else now - timedelta(minutes=WINDOW_MINUTES[window])
            minutes = (now - max(start_at, opened_at or start_at)).total_seconds() / 60
            spans.append((window, start_at, us(start_at), minutes))
        out: list[list[Row]] = [[] for _ in windows]
        stale, known, crews, kept = self._stale, self._members, self._crews, self._queues
        at_midnight = self._midnight
        # Every pass walks 100 queues for two windows (the mock day's target, bench_mock_day): what is the same from one
        # pass to the next (the cuts slid to, the threshold, nobody waiting) is checked here rather than in a call.
        for queue in queues:
            qid = queue.id
            counts = kept.get(qid) or self._queue(qid, now)
            threshold = queue.service_level_threshold_s
            if counts.threshold_s != threshold:
                counts.set_threshold(threshold)
            if counts.slid_to is not cuts:
                counts.slide(cuts)
            members = queue_agents.get(qid, _NOBODY)
            # the core replaces a queue's set when its agents change (queries.queue_members): identity says it
            if qid in stale or known.get(qid) is not members:
                self._crew(qid, members)
            by_state = self._by_state[qid]
            crew = crews[qid]
            on_now, av_now = crew.at(end)
            served = self_served.get(qid)
            name, target = queue.name, queue.service_level_target_pct
            waiting = counts.waiting
            if waiting:
                oldest = counts.oldest(counts.waiting_heap, waiting)
                longest = round((now - oldest).total_seconds(), 1) if oldest is not None else 0.0
            else:
                longest = 0.0
            callbacks = counts.callbacks
            if callbacks:
                oldest_callback = counts.oldest(counts.callback_heap, callbacks)
                oldest_cb = round((now - oldest_callback).total_seconds(), 1) if oldest_callback is not None else None
            else:
                oldest_cb = None
            n_waiting, n_callbacks = len(waiting), len(callbacks)
            staffed = sum(by_state.values()) - by_state[OFFLINE]
            agents_by_state = dict(by_state)  # a copy: the kept one changes in place
            ewt_s = ewt.get(qid)
            for (window, start_at, start, minutes), into in zip(spans, out, strict=True):
                arrived, cohort, answered, within, wait, abandoned, handled, handle = counts.window(window, start)
                on_then, av_then = at_midnight[qid] if window == "today" else crew.at(start)
                busy, idle = on_now - on_then, av_now - av_then
                answered_or_not = answered + abandoned
                into.append(
                    {  # QueueStats' fields in order (`FIELDS`): the event's JSON object as it is
                        "queue_id": qid,
                        "queue_name": name,
                        "window": window,
                        "waiting": n_waiting,
                        "longest_wait_s": longest,
                        "arrived": arrived,
                        "answered": answered,
                        "abandoned": abandoned,
                        "answered_within_threshold": within,
                        "service_level_pct": round(100.0 * within / answered_or_not, 1) if answered_or_not else None,
                        "service_level_target_pct": target,
                        "service_level_threshold_s": threshold,
                        "asa_s": round(wait / answered / 1_000_000, 1) if answered else None,
                        "aht_s": round(handle / handled / 1_000_000, 1) if handled else None,
                        "abandonment_rate_pct": round(100.0 * cohort / arrived, 1) if arrived else None,
                        "occupancy_pct": round(100.0 * busy / (busy + idle), 1) if busy + idle > 0 else None,
                        "arrival_rate_per_min": round(arrived / minutes, 4) if minutes > 0 else None,
                        "staffed": staffed,
                        "agents_by_state": agents_by_state,
                        "contained": len(served) - bisect.bisect_left(served, start_at) if served else 0,
                        "ewt_s": ewt_s,
                        "callbacks_pending": n_callbacks,
                        "oldest_callback_s": oldest_cb,
                        "sla_breaches": 0,  # the engine's, from the conversations (sla_breaches.py)
                        "awaiting_reply": 0,  # the engine's, from the conversations (reply_waits.py)
                        "snoozed": 0,
                        "scheduled_replies": 0,
                        "virtual_agent_contained": None,  # the virtual agent's, since the start (sla_breaches.py)
                        "virtual_agent_escalated": None,
                        "virtual_agent_failed": None,
                    }
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


_STATS = TypeAdapter(list[QueueStats])


def as_stats(rows: list[Row]) -> list[QueueStats]:
    """The rows as the API's models (validated: the tests hold the kept figures to the oracle's through them), in one
    call for the list, cheaper than one call per queue (bench_mock_day)."""
    return _STATS.validate_python(rows)
