"""Real-time adherence: each agent's scheduled activity against their state, kept from the engine's
state-change events and the schedule's own boundaries, never by polling (adherence_rules.py has the rules).

A scheduled part of the server's scheduler: due at the next instant something changes without an event (an
activity begins or ends, an episode out of adherence reaches the tolerance). An agent's row is published on the
supervisor stream (`adherence`) whenever what a supervisor sees of it changes: the activity, the state, in or out,
reported or not. The day is counted from when the contact center started (it keeps no state history before).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import sqlite_utils

from agent_desktop_mocks.ccaas.core.domain_events import AgentStateChanged, DomainEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC, Engine
from agent_desktop_mocks.ccaas.workforce.adherence_rules import AgentAdherence as Tracker
from agent_desktop_mocks.ccaas.workforce.adherence_rules import Slot
from agent_desktop_mocks.ccaas.workforce.schemas import (
    AdherenceSnapshot,
    AgentAdherence,
    AgentSchedule,
    TeamAdherence,
)
from agent_desktop_mocks.ccaas.workforce.service import Workforce
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog

# What a supervisor was last told of an agent: scheduled activity, state, reason, out since, reported out.
Shown = tuple[str, str, str | None, float | None, bool]


def _slots(schedule: AgentSchedule | None) -> tuple[Slot, ...]:
    if schedule is None:
        return ()
    return tuple(Slot(a.activity, a.start.timestamp(), a.end.timestamp()) for a in schedule.activities)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Adherence:
    def __init__(
        self,
        db: sqlite_utils.Database,
        workforce: Workforce,
        engine: Engine,
        events: EventLog,
        clock: Clock,
        *,
        tolerance_s: float,
        wake: Callable[[], None],
    ) -> None:
        self._db, self._workforce, self._engine, self._events = db, workforce, engine, events
        self._clock, self._wake = clock, wake
        self.tolerance_s = tolerance_s
        self._trackers: dict[str, Tracker] | None = None  # made at first use: the day's schedules are made then
        self._shown: dict[str, Shown] = {}  # per agent: what the supervisor was last told
        self._teams: dict[str, tuple[str, list[str]]] = {}
        # Per agent: when they are next due (POSIX seconds), kept as they change: the scheduler asks on every commit.
        self._dues: dict[str, float] = {}
        engine.listen(self._heard)

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def _all(self) -> dict[str, Tracker]:
        if self._trackers is None:
            now, agents = self._now(), self._engine.read.agents()
            schedules = {s.agent_id: s for s in self._workforce.schedules(None, agents)}
            self._trackers = {a.id: Tracker(_slots(schedules.get(a.id)), a.state, a.reason, now) for a in agents}
            for agent in agents:
                self._shown[agent.id] = self._key(agent.id, now)
                self._dues[agent.id] = self._due(agent.id)
        return self._trackers

    def rescheduled(self, agent_id: str) -> None:
        """The agent's schedule was edited: measured against the new one from now on (what was counted stays)."""
        trackers, now = self._all(), self._now()
        old = trackers.get(agent_id)
        agent = self._engine.read.agent(agent_id)
        tracker = Tracker(_slots(self._workforce.schedule_of(agent_id, None)), agent.state, agent.reason, now)
        if old is not None:
            old.advance(now)
            tracker.in_s, tracker.out_s, tracker.started = old.in_s, old.out_s, old.started
        trackers[agent_id] = tracker
        self._publish([agent_id], now)
        self._wake()

    # --- the engine's events and the clock -------------------------------------------------------

    def _heard(self, events: list[DomainEvent]) -> None:
        changed = [e.agent for e in events if isinstance(e, AgentStateChanged)]
        if not changed:
            return
        trackers, now = self._all(), self._now()
        for agent in changed:
            if (tracker := trackers.get(agent.id)) is not None:
                tracker.set_state(now, agent.state, agent.reason)
        self._publish([a.id for a in changed], now)
        self._wake()  # an episode begun: its tolerance is the next due

    def next_due(self) -> float | None:
        """The next schedule boundary or tolerance reached, on the monotonic clock the scheduler runs on."""
        self._all()
        due = min(self._dues.values(), default=math.inf)
        # Not clamped at now: a due instant already past must read as past to the scheduler's own `now`.
        return None if due == math.inf else self._clock.monotonic() + (due - self._now())

    def _due(self, agent_id: str) -> float:
        """The agent's next schedule boundary, or the instant an episode not yet reported reaches the tolerance."""
        tracker = self._all()[agent_id]
        due = tracker.next_boundary() or math.inf
        reported = self._shown.get(agent_id, ())[-1:] == (True,)
        if tracker.out_since is not None and not reported:
            due = min(due, tracker.out_since + self.tolerance_s)
        return due

    def fire_due(self) -> None:
        trackers, now = self._all(), self._now()
        for tracker in trackers.values():
            tracker.advance(now)
        self._publish(list(trackers), now)

    # --- what a supervisor sees ------------------------------------------------------------------

    def _key(self, agent_id: str, now: float) -> Shown:
        tracker = self._all()[agent_id]
        tracker.advance(now)
        return (
            tracker.scheduled,
            tracker.state,
            tracker.reason,
            tracker.out_since,
            tracker.reported(now, self.tolerance_s),
        )

    def _publish(self, agent_ids: Iterable[str], now: float) -> None:
        rows = []
        for agent_id in agent_ids:
            key = self._key(agent_id, now)
            if self._shown.get(agent_id) != key:
                self._shown[agent_id] = key
                rows.append(self.row(agent_id, now))
            self._dues[agent_id] = self._due(agent_id)
        if not rows:
            return
        self._events.publish_all([([SUPERVISOR_TOPIC], "adherence", row.model_dump_json()) for row in rows])
        self._db.conn.commit()
        self._events.flush()

    def row(self, agent_id: str, now: float | None = None) -> AgentAdherence:
        now = self._now() if now is None else now
        tracker = self._all()[agent_id]
        tracker.advance(now)
        agent = self._engine.read.agent(agent_id)
        team, queue_ids = self._team(agent)
        pct = tracker.pct()
        return AgentAdherence(
            agent_id=agent_id,
            name=agent.name,
            team=team,
            queue_ids=queue_ids,
            scheduled=tracker.scheduled,
            state=tracker.state,
            reason=tracker.reason,
            in_adherence=tracker.in_adherence,
            out_of_adherence=tracker.reported(now, self.tolerance_s),
            out_since=None if tracker.out_since is None else _at(tracker.out_since),
            adherence_pct=None if pct is None else round(pct, 1),
            in_s=round(tracker.in_s, 1),
            out_s=round(tracker.out_s, 1),
            at=_at(now),
        )

    def _team(self, agent: Agent) -> tuple[str, list[str]]:
        if agent.id not in self._teams:
            skills = set(agent.skills)
            queues = [q for q in self._engine.read.queues() if skills & set(q.skills)]
            self._teams[agent.id] = (queues[0].name if queues else "No queue", [q.id for q in queues])
        return self._teams[agent.id]

    def snapshot(self, keep: Callable[[AgentAdherence], bool]) -> AdherenceSnapshot:
        now = self._now()
        rows = [row for agent_id in self._all() if keep(row := self.row(agent_id, now))]
        return AdherenceSnapshot(as_of=_at(now), tolerance_s=self.tolerance_s, agents=rows, teams=team_totals(rows))


def team_totals(rows: list[AgentAdherence]) -> list[TeamAdherence]:
    """Per team: its agents, how many are reported out, and its adherence (time in ÷ scheduled time, summed)."""
    teams: dict[str, list[AgentAdherence]] = {}
    for row in rows:
        teams.setdefault(row.team, []).append(row)
    totals = []
    for team, members in sorted(teams.items()):
        in_s, out_s = sum(r.in_s for r in members), sum(r.out_s for r in members)
        pct = None if in_s + out_s <= 0 else round(100 * in_s / (in_s + out_s), 1)
        out = sum(r.out_of_adherence for r in members)
        totals.append(TeamAdherence(team=team, agents=len(members), out_of_adherence=out, adherence_pct=pct))
    return totals
