"""The CCaaS engine's shell: runs each request on the core as one unit of work, stores it, then tells everyone.

A unit of work runs one command on the core (core/, pure), writes the records it changed and
its events into one SQLite transaction (store.py, and the event log through publisher.py),
commits, and only then pushes the events to SSE subscribers, feeds the statistics projection
(stats_projection.py) and calls in-process listeners (`listen`: the simulator, a conversation
service). On any error it rolls back and forgets the events; unless the error was a refusal
raised before anything changed, the core is rebuilt from the store, so memory, store and event
log never disagree. The server's scheduler (schedule.py) calls `tick()` when a timer is due and for housekeeping.

Reads go straight to the core's queries (`engine.read`; the projection for statistics): the shell adds nothing
to them. Commands are the core's parts seen through the engine, each of their methods one unit of work
(`engine.contacts.accept(offer_id)`, forwarding.py): the engine does not restate the core's.

Estimated waits are computed by wait_estimate.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from agent_desktop_mocks.ccaas.core import ACW_TIMEOUT_DISPOSITION, Core, FarEnd, State
from agent_desktop_mocks.ccaas.core.domain_events import DomainEvent
from agent_desktop_mocks.ccaas.core.errors import REFUSALS, Conflict, Invalid, NotFound, NotHeld
from agent_desktop_mocks.ccaas.core.queries import Queries
from agent_desktop_mocks.ccaas.core.transitions import require_contact, require_offer
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    Agent,
    Channel,
    Contact,
    Queue,
    QueueStats,
    StatsSample,
    StatsWindow,
)
from agent_desktop_mocks.ccaas.figures.queue_figures import Row
from agent_desktop_mocks.ccaas.figures.sla_breaches import QueueConversations, ReplyWait, breaches, conversation_figures
from agent_desktop_mocks.ccaas.figures.stats_projection import FOLD_AFTER, HISTORY_KEEP, StatsProjection
from agent_desktop_mocks.ccaas.figures.stats_push import PushedFigures, queue_stats_event
from agent_desktop_mocks.ccaas.figures.wait_estimate import WaitEstimates
from agent_desktop_mocks.ccaas.shell.forwarding import part_of
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC, Publisher, agent_topic
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.heap import collect_young

__all__ = [
    "ACW_TIMEOUT_DISPOSITION",
    "SUPERVISOR_TOPIC",
    "Conflict",
    "Engine",
    "Invalid",
    "NotFound",
    "agent_topic",
]

log = logging.getLogger(__name__)

STATS_EVERY_S = 2.0
Listener = Callable[[list[DomainEvent]], None]
P = ParamSpec("P")
T = TypeVar("T")


class Engine:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        clock: Clock,
        *,
        offer_timeout_s: float = 15.0,
        far_end: FarEnd,
        monotonic: Callable[[], float] = time.monotonic,
        time_scale: float = 1.0,
        stats_oracle: bool = False,
    ) -> None:
        """`time_scale`: the mock's seconds per real second. Every protocol timer (offer timeouts, ACW, consult
        legs, callback dials and retries) and the statistics' publishing pace run that much faster, so a
        test proves the same transitions without waiting for them at their real length. `far_end`: who answers
        callbacks' dials and picks consult legs up (core/far_end.py), the builder's choice: the engine has none.
        `stats_oracle`: also hold what `queue_stats(from_scratch=True)` needs (tests; the server does not)."""
        self._time_scale = time_scale
        self._store = store
        self._events = events
        events.autocommit = False  # the unit of work commits, then the log pushes
        self._clock = clock
        self._monotonic, self._far_end = monotonic, far_end
        self._offer_timeout_s = offer_timeout_s
        self._core = self._new_core()
        self._publisher = Publisher(events)
        self._stats = StatsProjection(oracle=stats_oracle)
        self._pushed = PushedFigures()  # what the supervisor stream was last told, per queue
        self._listeners: list[Listener] = []
        self._last_event_id = events.last_id
        self._next_stats_at = 0.0
        self._in_unit = False
        self._waits = WaitEstimates(self._stats)
        # The written contacts waiting for a reply: the conversations' to tell (api wiring), none without.
        self.reply_waits: Callable[[], Iterable[ReplyWait]] = tuple
        self.conversation_counts: Callable[[], QueueConversations] = dict  # per queue, in hand: the conversations'
        self._breaches: dict[str, int] = {}  # queue id → SLA breaches, as last worked out
        self._awaiting: QueueConversations = {}  # queue id → its conversations' counts, as last worked out

    def _new_core(self) -> Core:
        return Core(
            State(
                self._clock,
                self._store,
                self._far_end,
                monotonic=self._monotonic,
                offer_timeout_s=self._offer_timeout_s,
                time_scale=self._time_scale,
                estimate_wait=self.estimated_wait,
            )
        )

    @property
    def offer_timeout_s(self) -> float:
        return self._offer_timeout_s

    @property
    def time_scale(self) -> float:
        return self._time_scale

    def listen(self, listener: Listener) -> None:
        """Call `listener` with the domain events of every committed unit of work, in order, after the commit
        (a listener that fails changes nothing committed). A listener must not run engine commands itself:
        the units those would commit would reach the other listeners before the one being told."""
        self._listeners.append(listener)

    @property
    def last_event_id(self) -> int:
        """The event log's id when the last unit of work was committed: its events (in the log as `contact`,
        `offer`... rows) have ids up to this one. A listener keeps it to resume from the log."""
        return self._last_event_id

    # --- setup ----------------------------------------------------------------

    def seed(self, queues: Iterable[Queue], agents: Iterable[Agent]) -> None:
        self._run(self._core.memory.seed, list(queues), list(agents))
        self._stats.reset(self._core.read.agents(), self._core.read.contacts(), [], self._clock.now())
        self._run(self._sample_history)

    def load(self) -> None:
        """Take up the state stored by an earlier run (see `Core.restore`)."""
        store, now = self._store, self._clock.now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        agents = [agent for agent, _, _ in store.agents()]  # as stored: what restoring changes comes as events
        self._stats.reset(
            agents,
            store.iter_contacts_touched(since=midnight),
            store.samples(now - HISTORY_KEEP),
            now,
            store.self_served(midnight),
        )
        self._restored_core()
        self._fold(now)
        self._run(self._sample_history)

    def _restored_core(self) -> Core:
        core = self._new_core()
        self._core = core
        self._run(core.memory.restore, *self._stored_state(core))
        return core

    def _stored_state(self, core: Core) -> tuple[Any, ...]:
        """What a restart takes up: finished contacts as `_fold` would have left them in memory."""
        store = self._store
        return (
            store.queues(),
            store.agents(),
            list(store.iter_contacts_touched(since=self._clock.now() - FOLD_AFTER)),
            store.pending_offers(),
            store.last_number("contacts"),
            store.last_number("offers"),
            store.declined(),
        )

    # --- the unit of work -----------------------------------------------------

    def _run(self, command: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a command, store what it changed and commit, then publish; all or nothing."""
        if self._in_unit:  # a listener or a command calling back in: part of the running unit
            return self._refused_from_archive(command, *args, **kwargs)
        self._in_unit = True
        try:
            result = self._refused_from_archive(command, *args, **kwargs)
            events = self._core.take_events()
            self._write(events)
            self._store.commit()
        except BaseException as error:
            changed = self._core.has_changes() or not isinstance(error, REFUSALS)
            self._store.rollback()
            self._events.discard()
            self._in_unit = False
            if changed:
                self._rebuild()
            raise
        self._in_unit = False
        self._published(events)
        return result

    def _refused_from_archive(self, command: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run the command; one on a record the core no longer holds (`NotHeld`, raised before anything changed)
        gets the refusal the stored record gets: the core reads memory only, the shell reads the store."""
        try:
            return command(*args, **kwargs)
        except NotHeld as error:
            missing = error
        store = self._store
        record = store.contact(missing.id) if missing.kind == "contact" else store.offer(missing.id)
        if record is None:
            raise NotFound(missing.kind, missing.id)
        if isinstance(record, Contact):
            require_contact(record, missing.action)
        else:
            require_offer(record.state, missing.action)
        raise missing  # allowed in the store, not held in memory: they disagree (the unit rebuilds the core)

    def _published(self, events: list[DomainEvent]) -> None:
        """Committed: push the events, feed the statistics, tell the listeners (a listener's failure is its own)."""
        self._events.flush()
        self._last_event_id = self._events.last_id
        self._stats.apply(events, self._clock.now())
        for listener in self._listeners:
            try:
                listener(events)
            except Exception:  # a listener's bug must not undo what is committed
                log.exception("engine listener failed")

    def _write(self, events: list[DomainEvent]) -> None:
        """The events into the log, then the records changed into the store."""
        changes = self._core.take_changes()
        store = self._store
        self._publisher.write(events)
        for queue in changes.queues.values():
            store.save_queue(queue)
        for agent, chosen, reason in changes.agents.values():
            store.save_agent(agent, chosen, reason)
        for contact in changes.contacts.values():
            store.save_contact(contact)
        for offer in changes.offers.values():
            store.save_offer(offer)
        for contact_id, agent_ids in changes.declined.items():
            store.save_declined(contact_id, agent_ids)
        for served in changes.self_served:
            store.save_self_served(served.at, served.queue_id, served.intent)

    def _rebuild(self) -> None:
        """Forget the core's memory and take the committed state up again (after a failed unit of work).

        Not a unit of work itself: if storing what restoring changed (fresh offer deadlines) fails
        too, memory keeps it and the store its older copy, and nothing is published.
        """
        core = self._new_core()
        core.memory.restore(*self._stored_state(core))
        self._core = core
        events = core.take_events()
        try:
            self._write(events)
            self._store.commit()
        except Exception:
            self._store.rollback()
            self._events.discard()
            log.exception("storing the engine's state taken up again failed")
            return
        self._published(events)  # listeners hear of re-offers too (they used to miss them)

    # --- reads and commands ---------------------------------------------------------------------------

    @property
    def read(self) -> Queries:
        """The core's reads, as they are: the shell adds nothing to them (statistics: `queue_stats`, `history`)."""
        return self._core.read

    # Commands: every method of these parts of the core runs as one unit of work (`_run`; forwarding.py).
    agents = part_of(lambda core: core.agents)
    contacts = part_of(lambda core: core.contacts)
    offers = part_of(lambda core: core.offers)
    transfers = part_of(lambda core: core.transfers)
    supervisor = part_of(lambda core: core.supervisor)
    arrivals = part_of(lambda core: core.arrivals)  # a new contact is announced the wait `estimated_wait` says
    callbacks = part_of(lambda core: core.callbacks)
    voicemails = part_of(lambda core: core.voicemails)

    def contacts_since(self, since: datetime) -> list[Contact]:
        """Every contact still open or that entered a queue since `since`, from the store."""
        return self._store.contacts(since=since)

    def queue_stats(self, window: StatsWindow = "today", *, from_scratch: bool = False) -> list[QueueStats]:
        """Per queue over a sliding window (15m, 30m, 60m) or since midnight UTC of the server's clock; kept
        up to date as things happen, or (`from_scratch`, the tests' oracle) worked out again from what is held."""
        return self._queue_figures((window,), from_scratch=from_scratch)[0]

    def _queue_figures(self, windows: tuple[StatsWindow, ...], *, from_scratch: bool = False) -> list[list[QueueStats]]:
        collect_young()
        queries = self._core.read
        queues = queries.queues()
        queue_agents = queries.queue_members()
        ewt = self._waits.for_queues(queries, [q.id for q in queues], from_scratch=from_scratch)  # every window's
        now = self._clock.now()
        agents = {a.id: a for a in queries.agents()} if from_scratch else None
        figures = self._stats.queue_stats(queues, agents, queue_agents, now, windows, ewt)
        counts = breaches(queues, self.reply_waits(), now)
        awaiting = self.conversation_counts()
        return [
            [
                f.model_copy(
                    update={"sla_breaches": counts.get(f.queue_id, 0), **conversation_figures(awaiting, f.queue_id)}
                )
                for f in window
            ]
            for window in figures
        ]

    def _figure_rows(self, windows: tuple[StatsWindow, ...]) -> list[list[Row]]:
        """The kept figures as a push sends them (rows: the event's JSON objects), one EWT a queue."""
        queries = self._core.read
        queues = queries.queues()
        ewt = self._waits.for_queues(queries, [q.id for q in queues])
        rows = self._stats.figure_rows(queues, queries.queue_members(), self._clock.now(), windows, ewt)
        counts, awaiting = self._breaches, self._awaiting
        for window in rows:
            for row in window:
                row["sla_breaches"] = counts.get(row["queue_id"], 0)
                row.update(conversation_figures(awaiting, row["queue_id"]))
        return rows

    def _count_breaches(self) -> None:
        """The queues' SLA breaches and conversations awaiting our reply now; a change is pushed with their figures."""
        counts = breaches(self._core.read.queues(), self.reply_waits(), self._clock.now())
        awaiting = self.conversation_counts()
        if counts != self._breaches or awaiting != self._awaiting:
            self._breaches, self._awaiting = counts, awaiting
            self._stats.dirty = True

    def estimated_wait(
        self, queue_id: str, channel: Channel = Channel.VOICE, priority: int = 0, *, from_scratch: bool = False
    ) -> float | None:
        """Seconds a contact entering the queue now would wait (wait_estimate.py; `from_scratch`: the tests' oracle)."""
        return self._waits.estimated_wait(self._core.read, queue_id, channel, priority, from_scratch=from_scratch)

    def history(self, minutes: int) -> list[StatsSample]:
        return self._stats.history(self._clock.now() - timedelta(minutes=minutes))

    # --- the clock ------------------------------------------------------------

    def tick(self) -> None:
        """Fire due timers; sample history each minute; publish statistics every 2 s (÷ time_scale) when something
        changed: the queues whose figures changed (stats_push.py)."""
        self._run(self._core.fire_due)
        self._run(self._sample_history)
        now = self._monotonic()
        if now >= self._next_stats_at:
            self._next_stats_at = now + STATS_EVERY_S / self._time_scale
            if not self._events.has_subscribers(SUPERVISOR_TOPIC):
                self._pushed.forget()
                return
            self._count_breaches()
            if self._stats.dirty:
                self._stats.dirty = False
                self._run(self._publish_stats)

    def checkpoint(self, *, close: bool = False) -> None:
        """Fold the WAL into the database file; thread-safe (own connection), meant for a worker thread.
        `close`: at shutdown, once no checkpoint runs, that connection is closed instead."""
        self._store.close_checkpoint() if close else self._store.checkpoint()

    def _publish_stats(self) -> None:
        collect_young()
        today, last_30m = self._pushed.changed(*self._figure_rows(("today", "30m")))
        if not today:
            return
        event = queue_stats_event(self._clock.now(), today, last_30m)
        self._events.publish([SUPERVISOR_TOPIC], "queue_stats", event, persist=False)

    def _sample_history(self) -> None:
        minute = self._stats.due_sample_minute(self._clock.now())
        if minute is None:
            return
        samples = [
            StatsSample(at=minute, queue_id=f.queue_id, waiting=f.waiting, service_level_pct=f.service_level_pct)
            for f in self.queue_stats("15m")
        ]
        for sample in samples:
            self._store.save_sample(sample)
        self._stats.add_samples(minute, samples)
        self._fold(self._clock.now())

    def _fold(self, now: datetime) -> None:
        """Finished contacts untouched for FOLD_AFTER leave memory: the statistics keep their day's totals,
        the store keeps them (`contact()` and an agent's contacts today read it)."""
        self._stats.fold(now, {q.id: q.service_level_threshold_s for q in self._core.read.queues()})
        self._core.memory.forget_finished_before(now - FOLD_AFTER)
