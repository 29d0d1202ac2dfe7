"""Queue statistics as a projection of the committed domain events.

The projection keeps what the figures need — each contact's latest snapshot by queue, each
agent's state segments since midnight, the per-minute history — and is fed only events that were
committed (a rolled-back request never reaches it). `queue_stats()` (stats.py) computes the
figures from it; the agents' current states and queue eligibility come from the core.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from mock_backends.ccaas.domain_events import (
    AgentStateChanged,
    CallerSelfServed,
    ContactChanged,
    DomainEvent,
    QueueChanged,
)
from mock_backends.ccaas.schemas import Agent, AgentState, Contact, Queue, QueueStats, StatsSample, StatsWindow
from mock_backends.ccaas.stats import queue_stats, recent_handle_s

HISTORY_KEEP = timedelta(hours=24)


class StatsProjection:
    def __init__(self) -> None:
        self._by_queue: dict[str, dict[str, Contact]] = {}
        self._queue_of: dict[str, str] = {}
        self._segments: dict[str, list[tuple[float, AgentState]]] = {}  # agent id → (start, state) since midnight
        self._history: list[StatsSample] = []
        self._self_served: dict[str, list[datetime]] = {}  # queue id → when, since midnight
        self._last_sample_minute: datetime | None = None
        # When the contact center began counting: a window reaching further back covers minutes with
        # no data, and an arrival rate over them would read low (a fresh demo's "arrivals up").
        self.opened_at: datetime | None = None
        self.dirty = True  # something changed since the last published figures

    def reset(
        self,
        agents: Iterable[Agent],
        contacts: Iterable[Contact],
        history: list[StatsSample],
        now: datetime,
        self_served: Iterable[tuple[datetime, str]] = (),
    ) -> None:
        """Start from a known state (at start-up): agents as they were stored or seeded, contacts since midnight."""
        self._self_served = {}
        for at, queue_id in self_served:
            self._self_served.setdefault(queue_id, []).append(at)
        self._segments = {agent.id: [(now.timestamp(), agent.state)] for agent in agents}
        self._by_queue, self._queue_of = {}, {}
        self.opened_at = now
        for contact in contacts:
            self._put(contact)
        self._history = list(history)
        self._last_sample_minute = history[-1].at if history else None
        self.dirty = True

    def apply(self, events: Iterable[DomainEvent], now: datetime) -> None:
        for event in events:
            if isinstance(event, ContactChanged):
                self._put(event.contact)
                self.dirty = True
            elif isinstance(event, AgentStateChanged):
                self._segment(event.agent, now)
                self.dirty = True
            elif isinstance(event, QueueChanged):
                self.dirty = True
            elif isinstance(event, CallerSelfServed):
                served = self._self_served.setdefault(event.queue_id, [])
                served.append(event.at)
                midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
                while served and served[0] < midnight:
                    served.pop(0)
                self.dirty = True

    def forget(self, contact_ids: Iterable[str]) -> None:
        for contact_id in contact_ids:
            queue_id = self._queue_of.pop(contact_id, None)
            if queue_id is not None:
                self._by_queue[queue_id].pop(contact_id, None)

    def queue_stats(
        self,
        queues: list[Queue],
        agents: Mapping[str, Agent],
        queue_agents: Mapping[str, set[str]],
        now: datetime,
        window: StatsWindow = "today",
        ewt: Mapping[str, float | None] | None = None,
    ) -> list[QueueStats]:
        return queue_stats(
            queues, self._by_queue, agents, queue_agents, self._segments, now, window, self._self_served, ewt,
            opened_at=self.opened_at,
        )  # fmt: skip

    def recent_handle_s(self, queue_id: str, since: datetime) -> float | None:
        """The queue's mean handle time (answer → completion) of contacts completed since then."""
        return recent_handle_s(self._by_queue.get(queue_id, {}), since)

    # --- the per-minute history -----------------------------------------------------

    def due_sample_minute(self, now: datetime) -> datetime | None:
        """The minute to sample now, if a new minute began since the last sample."""
        minute = now.replace(second=0, microsecond=0)
        if self._last_sample_minute is not None and minute <= self._last_sample_minute:
            return None
        return minute

    def add_samples(self, minute: datetime, samples: list[StatsSample]) -> None:
        self._last_sample_minute = minute
        self._history.extend(samples)
        cutoff = minute - HISTORY_KEEP
        while self._history and self._history[0].at < cutoff:
            self._history.pop(0)

    def history(self, since: datetime) -> list[StatsSample]:
        return [s for s in self._history if s.at >= since]

    # --- bookkeeping ----------------------------------------------------------------

    def _put(self, contact: Contact) -> None:
        old = self._queue_of.get(contact.id)
        if old is not None and old != contact.queue_id:
            self._by_queue[old].pop(contact.id, None)
        self._queue_of[contact.id] = contact.queue_id
        self._by_queue.setdefault(contact.queue_id, {})[contact.id] = contact
        if self.opened_at is not None and contact.entered_queue_at < self.opened_at:
            self.opened_at = contact.entered_queue_at  # a contact from before (a restart, a backlog)

    def _segment(self, agent: Agent, now: datetime) -> None:
        segments = self._segments.setdefault(agent.id, [])
        if segments and segments[-1][1] == agent.state:
            return
        segments.append((agent.state_since.timestamp(), agent.state))
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        while len(segments) > 2 and segments[1][0] <= midnight:
            segments.pop(0)
