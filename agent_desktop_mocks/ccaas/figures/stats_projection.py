"""Queue statistics as a projection of the committed domain events.

The projection keeps the figures (queue_figures.py) and the per-minute history, and is fed only events
that were committed (a rolled-back request never reaches it). Once a minute (`fold`) finished contacts
and agent segments older than FOLD_AFTER (longer than the longest sliding window) are forgotten (their
minutes keep their counts; the oracle folds them into the day's totals), so memory and the cost of
"today" stay flat through a day of any size. The figures are kept up to date as the events arrive:
`queue_stats()` reads them. `queue_stats(agents=...)` works them out from scratch (stats.py) from what
only `StatsProjection(oracle=True)` holds (each contact's latest snapshot, agents' state segments): the
oracle the tests hold them to. The agents' current states and queue eligibility come from the core.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    CallerSelfServed,
    ContactChanged,
    DomainEvent,
    QueueChanged,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    TERMINAL,
    Agent,
    Contact,
    Queue,
    QueueStats,
    StatsSample,
    StatsWindow,
    last_touched,
)
from agent_desktop_mocks.ccaas.figures.finished_log import DayTotals, Finished, FinishedLog, fold_finished
from agent_desktop_mocks.ccaas.figures.queue_figures import QueueFigures, Row, as_stats
from agent_desktop_mocks.ccaas.figures.state_timeline import StateTimeline, TimeTotals, fold_segment
from agent_desktop_mocks.ccaas.figures.stats import NO_TOTALS, queue_stats

HISTORY_KEEP = timedelta(hours=24)
FOLD_AFTER = timedelta(minutes=65)  # the longest sliding window (60m), and a margin


class StatsProjection:
    def __init__(self, *, oracle: bool = False) -> None:
        """`oracle`: also hold what `queue_stats(agents=...)` works the figures out from (the tests' oracle: open
        contacts, finished ones, agents' segments and the day's folded totals, beside the kept figures)."""
        self.oracle = oracle
        self._open: dict[str, dict[str, Contact]] = {}  # queue id → its open contacts
        self._finished: dict[str, FinishedLog] = {}  # queue id → its finished contacts not yet folded
        self._queue_of: dict[str, str] = {}
        self._timelines: dict[str, StateTimeline[float]] = {}  # agent id → states since start-up or the fold line
        self._history: list[StatsSample] = []
        self._self_served: dict[str, list[datetime]] = {}  # queue id → when, since midnight
        self._last_sample_minute: datetime | None = None
        self._day_totals: dict[date, dict[str, DayTotals]] = {}  # day → queue id → folded contacts
        self._day_time: dict[date, dict[str, TimeTotals]] = {}  # day → agent id → folded segments
        self._folded_before: datetime | None = None  # finished contacts last touched before this are folded
        # When the contact center began counting: a window reaching further back covers minutes with
        # no data, and an arrival rate over them would read low (a fresh demo's "arrivals up").
        self.opened_at: datetime | None = None
        self.dirty = True  # something changed since the last published figures
        self._figures = QueueFigures()

    def reset(
        self,
        agents: Iterable[Agent],
        contacts: Iterable[Contact],
        history: list[StatsSample],
        now: datetime,
        self_served: Iterable[tuple[datetime, str]] = (),
    ) -> None:
        """Start from a known state (at start-up): agents as they were stored or seeded, contacts since midnight."""
        agents = list(agents)
        self._figures.reset(agents, now)
        self._self_served = {}
        for at, queue_id in self_served:
            self._self_served.setdefault(queue_id, []).append(at)
        self._timelines = {}
        if self.oracle:
            self._timelines = {agent.id: StateTimeline(now.timestamp(), agent.state) for agent in agents}
        self._open, self._finished, self._queue_of = {}, {}, {}
        self._day_totals, self._day_time, self._folded_before = {}, {}, None
        self.opened_at = now
        for contact in contacts:
            self._put(contact, now)
        self._history = list(history)
        self._last_sample_minute = history[-1].at if history else None
        self.dirty = True

    def apply(self, events: Iterable[DomainEvent], now: datetime) -> None:
        for event in events:
            if isinstance(event, ContactChanged):
                self._put(event.contact, now)
                self.dirty = True
            elif isinstance(event, AgentStateChanged):
                if self.oracle:
                    self._segment(event.agent)
                self._figures.agent_changed(event.agent, now)
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

    def fold(self, now: datetime, thresholds: Mapping[str, float]) -> None:
        """Fold what is older than FOLD_AFTER into the day's totals (queue id → its SL threshold in s);
        days before today are dropped."""
        before = now - FOLD_AFTER
        tz = now.tzinfo

        def contact_totals(at: float) -> DayTotals:
            day = datetime.fromtimestamp(at, tz).date()
            return self._day_totals.setdefault(day, {}).setdefault(queue_id, DayTotals())

        line = before.timestamp()
        self._figures.fold(now, before, thresholds)
        for contact_id in self._figures.forget_finished_before(before):
            del self._queue_of[contact_id]
        for queue_id, log in self._finished.items():
            done = [contact_id for contact_id, f in log.contacts.items() if f.last_touched < line]
            for contact_id in done:
                finished = log.pop(contact_id)
                assert finished is not None
                fold_finished(finished, thresholds.get(queue_id, 0.0), contact_totals)
        for agent_id, timeline in self._timelines.items():
            for since, until, state in timeline.drop_before(line):
                fold_segment(
                    since,
                    until,
                    state,
                    lambda day: self._day_time.setdefault(day, {}).setdefault(agent_id, TimeTotals()),  # noqa: B023
                    tz,
                )
        today = now.date()
        for days in (self._day_totals, self._day_time):
            for day in [d for d in days if d < today]:
                del days[day]
        self._folded_before = before

    def queue_stats(
        self,
        queues: list[Queue],
        agents: Mapping[str, Agent] | None,
        queue_agents: Mapping[str, frozenset[str]],
        now: datetime,
        windows: tuple[StatsWindow, ...] = ("today",),
        ewt: Mapping[str, float | None] | None = None,
    ) -> list[list[QueueStats]]:
        """Every queue's figures for each window, as kept up to date (queue_figures.py); with `agents` (the
        oracle's: the agents by id), worked out again from scratch from what is held (stats.py)."""
        if agents is None:
            return [as_stats(rows) for rows in self.figure_rows(queues, queue_agents, now, windows, ewt)]
        if not self.oracle:
            raise RuntimeError("figures from scratch need a StatsProjection(oracle=True)")
        day = now.date()
        return [
            queue_stats(
                queues,
                self._open,
                self._finished,
                agents,
                queue_agents,
                self._timelines,
                now,
                window,
                self._self_served,
                ewt,
                opened_at=self.opened_at,
                earlier=self._day_totals.get(day, NO_TOTALS) if window == "today" else NO_TOTALS,
                earlier_time=self._day_time.get(day) if window == "today" else None,
            )
            for window in windows
        ]

    def figure_rows(
        self,
        queues: list[Queue],
        queue_agents: Mapping[str, frozenset[str]],
        now: datetime,
        windows: tuple[StatsWindow, ...],
        ewt: Mapping[str, float | None] | None = None,
    ) -> list[list[Row]]:
        """Every queue's figures for each window as kept, as rows (`QueueStats`' fields, JSON-ready): a push's."""
        return self._figures.figures(queues, queue_agents, now, windows, self._self_served, ewt, self.opened_at)

    def kept_handle_s(self, queue_id: str, window: StatsWindow, now: datetime) -> float | None:
        """The queue's mean handle time (answer → completion) of contacts completed in the window, as kept."""
        handle_us, handled = self._figures.recent_handle(queue_id, window, now)
        return handle_us / handled / 1_000_000 if handled else None

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

    def _put(self, contact: Contact, now: datetime) -> None:
        old = self._queue_of.get(contact.id)
        if (
            old is None
            and self._folded_before
            and contact.state in TERMINAL
            and last_touched(contact) < self._folded_before
        ):
            return  # folded already (a late change to a finished contact must not count it twice)
        self._figures.put(contact, old, now)
        if old is not None and old != contact.queue_id:
            self._open.get(old, {}).pop(contact.id, None)
            if old in self._finished:
                self._finished[old].pop(contact.id)
        self._queue_of[contact.id] = contact.queue_id
        if self.opened_at is not None and contact.entered_queue_at < self.opened_at:
            self.opened_at = contact.entered_queue_at  # a contact from before (a restart, a backlog)
        if not self.oracle:
            return
        if contact.state in TERMINAL:
            self._open.get(contact.queue_id, {}).pop(contact.id, None)
            self._finished.setdefault(contact.queue_id, FinishedLog()).put(contact.id, Finished.of(contact))
        else:
            self._open.setdefault(contact.queue_id, {})[contact.id] = contact

    def _segment(self, agent: Agent) -> None:
        since = agent.state_since.timestamp()
        timeline = self._timelines.get(agent.id)
        if timeline is None:
            self._timelines[agent.id] = StateTimeline(since, agent.state)
        else:
            timeline.change(since, agent.state)
