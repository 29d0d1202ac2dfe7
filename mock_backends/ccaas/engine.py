"""The CCaaS engine's shell: runs each request on the core as one unit of work, stores it, then tells everyone.

A unit of work runs one command on the core (core.py, pure), writes the records it changed and
its events into one SQLite transaction (store.py, and the event log through publisher.py),
commits, and only then pushes the events to SSE subscribers, feeds the statistics projection
(stats_projection.py) and calls in-process listeners (`listen`: the simulator, a conversation
service). On any error it rolls back and forgets the events; unless the error was a refusal
raised before anything changed, the core is rebuilt from the store, so memory, store and event
log never disagree. The clock loop (clock_loop.py) calls `tick()`.

Reads go straight to the core (or the projection for statistics): the shell adds nothing to them.

Estimated wait (EWT), per queue and channel, for a contact entering now behind the `ahead`
contacts it would wait behind (same queue and channel, same or higher priority):
0 when an agent is free for it and nobody is ahead; otherwise (ahead + 1) × AHT ÷ slots, where
AHT is the queue's mean handle time (answer → completion) over the last 30 minutes (else since
midnight, else 180 s) and slots the channel capacity of the queue's agents who are available or
on contacts (not offline, not ready or missed). It is the expected wait of an M/M/N queue when
every slot is busy (each slot frees after AHT ÷ slots on average); it ignores abandonment ahead
(an overestimate when callers give up) and agents shared with higher-priority queues (an
underestimate). None when nobody serves the queue.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from mock_backends.ccaas.core import ACW_TIMEOUT_DISPOSITION, Core, priority_raise
from mock_backends.ccaas.domain_events import DomainEvent
from mock_backends.ccaas.errors import REFUSALS, Conflict, Invalid, NotFound
from mock_backends.ccaas.publisher import SUPERVISOR_TOPIC, Publisher, agent_topic
from mock_backends.ccaas.schemas import (
    Agent,
    AgentActivity,
    AgentState,
    AttachedData,
    Channel,
    Contact,
    Offer,
    PriorityRule,
    Queue,
    QueueStats,
    QueueStatsEvent,
    StatsSample,
    StatsWindow,
    Target,
)
from mock_backends.ccaas.stats_projection import FOLD_AFTER, HISTORY_KEEP, StatsProjection
from mock_backends.ccaas.stats_push import PushedFigures
from mock_backends.ccaas.store import Store
from mock_backends.common.clock import Clock
from mock_backends.common.event_log import EventLog

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
DEFAULT_AHT_S = 180.0
AHT_WINDOW: StatsWindow = "30m"
AHT_CACHE_S = 10.0  # the recent AHT is read again at most this often per queue (the estimates stay steady)
Listener = Callable[[list[DomainEvent]], None]
T = TypeVar("T")


class Engine:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        clock: Clock,
        *,
        offer_timeout_s: float = 15.0,
        monotonic: Callable[[], float] = time.monotonic,
        seed: int = 0,
        callback_answer_pct: float = 75.0,
        time_scale: float = 1.0,
    ) -> None:
        """`time_scale`: the mock's seconds per real second. Every protocol timer (offer timeouts, ACW, consult
        legs, callback dials and retries) and the statistics' publishing pace run that much faster, so a
        test proves the same transitions without waiting for them at their real length."""
        self._callback_answer_pct = callback_answer_pct
        self._time_scale = time_scale
        self._store = store
        self._events = events
        events.autocommit = False  # the unit of work commits, then the log pushes
        self._clock = clock
        self._monotonic = monotonic
        self._rng = random.Random(seed)
        self._offer_timeout_s = offer_timeout_s
        self._core = self._new_core()
        self._publisher = Publisher(events)
        self._stats = StatsProjection()
        self._pushed = PushedFigures()  # what the supervisor stream was last told, per queue
        self._listeners: list[Listener] = []
        self._next_stats_at = 0.0
        self._in_unit = False
        self._aht_cache: dict[str, tuple[datetime, float]] = {}

    def _new_core(self) -> Core:
        return Core(
            self._clock,
            self._store,
            offer_timeout_s=self._offer_timeout_s,
            monotonic=self._monotonic,
            rng=self._rng,
            callback_answer_pct=self._callback_answer_pct,
            time_scale=self._time_scale,
        )

    @property
    def offer_timeout_s(self) -> float:
        return self._offer_timeout_s

    @property
    def time_scale(self) -> float:
        return self._time_scale

    def listen(self, listener: Listener) -> None:
        """Call `listener` with the domain events of every committed unit of work, in order."""
        self._listeners.append(listener)

    # --- setup ----------------------------------------------------------------

    def seed(self, queues: Iterable[Queue], agents: Iterable[Agent]) -> None:
        self._run(self._core.seed, list(queues), list(agents))
        self._stats.reset(self._core.agents(), self._core.contacts(), [], self._clock.now())
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
        self._run(core.restore, *self._stored_state(core))
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

    def _run(self, command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a command, store what it changed and commit, then publish; all or nothing."""
        if self._in_unit:  # a listener or a command calling back in: part of the running unit
            return command(*args, **kwargs)
        self._in_unit = True
        try:
            result = command(*args, **kwargs)
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
        self._events.flush()
        self._stats.apply(events, self._clock.now())
        for listener in self._listeners:
            try:
                listener(events)
            except Exception:  # a listener's bug must not undo what is committed
                log.exception("engine listener failed")
        return result

    def _write(self, events: list[DomainEvent]) -> None:
        changes = self._core.take_changes()
        store = self._store
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
        self._publisher.write(events)

    def _rebuild(self) -> None:
        """Forget the core's memory and take the committed state up again (after a failed unit of work).

        Not a unit of work itself: if storing what restoring changed (fresh offer deadlines) fails
        too, memory keeps it and the store its older copy, and nothing is published.
        """
        core = self._new_core()
        core.restore(*self._stored_state(core))
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
        self._events.flush()
        self._stats.apply(events, self._clock.now())

    # --- reads ----------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock.now()

    def queues(self) -> list[Queue]:
        return self._core.queues()

    def queue(self, queue_id: str) -> Queue:
        return self._core.queue(queue_id)

    def agents(self) -> list[Agent]:
        return self._core.agents()

    def agent(self, agent_id: str) -> Agent:
        return self._core.agent(agent_id)

    def chosen_state(self, agent_id: str) -> tuple[AgentState, str | None]:
        return self._core.chosen_state(agent_id)

    def contact(self, contact_id: str) -> Contact:
        return self._core.contact(contact_id)

    def contacts(self) -> list[Contact]:
        """The contacts held in memory: open ones, and finished ones of about the last hour (FOLD_AFTER)."""
        return self._core.contacts()

    def contacts_since(self, since: datetime) -> list[Contact]:
        """Every contact still open or that entered a queue since `since`, from the store."""
        return self._store.contacts(since=since)

    def offer(self, offer_id: str) -> Offer:
        return self._core.offer(offer_id)

    def pending_offers(self, agent_id: str) -> list[Offer]:
        return self._core.pending_offers(agent_id)

    def all_pending_offers(self) -> list[Offer]:
        return self._core.all_pending_offers()

    def contacts_in_hand(self, agent_id: str) -> list[Contact]:
        return self._core.contacts_in_hand(agent_id)

    def queued_contacts(self) -> list[Contact]:
        return self._core.queued_contacts()

    def waiting(self, queue_id: str) -> list[Contact]:
        return self._core.waiting(queue_id)

    def agents_overview(self) -> list[AgentActivity]:
        return self._core.agents_overview()

    def contacts_today(self, agent_id: str) -> list[Contact]:
        return self._core.contacts_today(agent_id)

    def eligible_agents(self, queue_id: str) -> list[str]:
        return self._core.eligible_agents(queue_id)

    def spare_channels(self, agent_id: str) -> tuple[Channel, ...]:
        return self._core.spare_channels(agent_id)

    def kept_from(self, contact_id: str) -> frozenset[str]:
        return self._core.kept_from(contact_id)

    def best_contact_for(self, agent_id: str, *, if_free: bool = False) -> str | None:
        return self._core.best_contact_for(agent_id, if_free=if_free)

    def next_due(self) -> float | None:
        return self._core.next_due()

    def queue_stats(self, window: StatsWindow = "today", *, from_scratch: bool = False) -> list[QueueStats]:
        """Per queue over a sliding window (15m, 30m, 60m) or since midnight UTC of the server's clock; kept
        up to date as things happen, or (`from_scratch`, the tests' oracle) worked out again from what is held."""
        return self._queue_figures((window,), from_scratch=from_scratch)[0]

    def _queue_figures(self, windows: tuple[StatsWindow, ...], *, from_scratch: bool = False) -> list[list[QueueStats]]:
        core = self._core
        queues = core.queues()
        queue_agents = {q.id: set(core.eligible_agents(q.id)) for q in queues}
        ewt = {q.id: self.estimated_wait(q.id) for q in queues}  # the same for every window
        now = self._clock.now()
        if from_scratch:
            agents = {a.id: a for a in core.agents()}
            return [self._stats.recomputed_stats(queues, agents, queue_agents, now, w, ewt) for w in windows]
        return [self._stats.queue_stats(queues, {}, queue_agents, now, w, ewt) for w in windows]

    def estimated_wait(self, queue_id: str, channel: Channel = Channel.VOICE, priority: int = 0) -> float | None:
        """Seconds a contact entering the queue now would wait (the method is in the module docstring)."""
        core = self._core
        core.queue(queue_id)
        slots, free = core.serving(queue_id, channel)
        if slots == 0:
            return None
        ahead = core.queued_ahead(queue_id, channel, priority)
        if ahead == 0 and free:
            return 0.0
        return round((ahead + 1) * self.recent_aht(queue_id) / slots, 1)

    def recent_aht(self, queue_id: str) -> float:
        """The queue's AHT over the last 30 minutes, else since midnight, else 180 s."""
        now = self._clock.now()
        cached = self._aht_cache.get(queue_id)
        if cached and (now - cached[0]).total_seconds() < AHT_CACHE_S:
            return cached[1]
        aht = self._stats.kept_handle_s(queue_id, AHT_WINDOW, now)
        if aht is None:
            aht = self._stats.kept_handle_s(queue_id, "today", now)
        aht = aht or DEFAULT_AHT_S
        self._aht_cache[queue_id] = (now, aht)
        return aht

    def history(self, minutes: int) -> list[StatsSample]:
        return self._stats.history(self._clock.now() - timedelta(minutes=minutes))

    # --- commands -------------------------------------------------------------

    def set_agent_state(
        self, agent_id: str, state: AgentState, reason: str | None = None, *, by_supervisor: bool = False
    ) -> Agent:
        return self._run(self._core.set_agent_state, agent_id, state, reason, by_supervisor=by_supervisor)

    def update_agent(
        self, agent_id: str, *, capacity: dict[str, int] | None = None, proficiency: dict[str, int] | None = None
    ) -> Agent:
        return self._run(self._core.update_agent, agent_id, capacity=capacity, proficiency=proficiency)

    def set_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        return self._run(self._core.set_next_state, agent_id, state, reason)

    def accept(self, offer_id: str) -> Contact:
        return self._run(self._core.accept, offer_id)

    def reject(self, offer_id: str) -> Offer:
        return self._run(self._core.reject, offer_id)

    def hold(self, contact_id: str) -> Contact:
        return self._run(self._core.hold, contact_id)

    def resume(self, contact_id: str) -> Contact:
        return self._run(self._core.resume, contact_id)

    def end(self, contact_id: str) -> Contact:
        return self._run(self._core.end, contact_id)

    def complete(
        self, contact_id: str, disposition: str, *, then: tuple[AgentState, str | None] | None = None
    ) -> Contact:
        return self._run(self._core.complete, contact_id, disposition, then=then)

    def transfer(self, contact_id: str, target: Target) -> Contact:
        return self._run(self._core.transfer, contact_id, target)

    def consult(self, contact_id: str, target: Target) -> Contact:
        return self._run(self._core.consult, contact_id, target)

    def complete_consult(self, contact_id: str) -> Contact:
        return self._run(self._core.complete_consult, contact_id)

    def cancel_consult(self, contact_id: str) -> Contact:
        return self._run(self._core.cancel_consult, contact_id)

    def move(self, contact_id: str, queue_id: str) -> Contact:
        return self._run(self._core.move, contact_id, queue_id)

    def update_queue(
        self,
        queue_id: str,
        *,
        priority: int | None = None,
        acw_timeout_s: int | None = None,
        priority_rules: list[PriorityRule] | None = None,
        callbacks: dict[str, int] | None = None,
    ) -> Queue:
        return self._run(
            self._core.update_queue,
            queue_id,
            priority=priority,
            acw_timeout_s=acw_timeout_s,
            priority_rules=priority_rules,
            callbacks=callbacks,
        )

    def create_contact(
        self,
        queue_id: str,
        channel: Channel,
        from_address: str,
        subject: str | None = None,
        *,
        priority: int = 0,
        entered_queue_at: datetime | None = None,
        attached: AttachedData | None = None,
    ) -> Contact:
        """A new contact, with the wait it is estimated (announced to the caller) as it enters the queue."""
        ewt = None
        with contextlib.suppress(NotFound):  # an unknown queue is refused by the core (422)
            queue = self._core.queue(queue_id)
            ewt = self.estimated_wait(queue_id, channel, priority + priority_raise(queue, attached))
        return self._run(
            self._core.create_contact,
            queue_id,
            channel,
            from_address,
            subject,
            priority=priority,
            entered_queue_at=entered_queue_at,
            attached=attached,
            ewt_s=ewt,
        )

    def self_served(self, queue_id: str, intent: str | None, menu_path: list[str]) -> None:
        """A caller served by the IVR's self-service for this queue (counted as contained)."""
        self._run(self._core.self_served, queue_id, intent, menu_path)

    def abandon(self, contact_id: str) -> Contact:
        return self._run(self._core.abandon, contact_id)

    def request_callback(self, contact_id: str, number: str | None = None, reason: str | None = None) -> Contact:
        return self._run(self._core.request_callback, contact_id, number, reason)

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
            elif self._stats.dirty:
                self._stats.dirty = False
                self._run(self._publish_stats)

    def checkpoint(self) -> None:
        """Fold the WAL into the database file; thread-safe (own connection), meant for a worker thread."""
        self._store.checkpoint()

    def _publish_stats(self) -> None:
        today, last_30m = self._pushed.changed(*self._queue_figures(("today", "30m")))
        if not today:
            return
        event = QueueStatsEvent(at=self._clock.now(), today=today, last_30m=last_30m)
        self._events.publish([SUPERVISOR_TOPIC], "queue_stats", event.model_dump(mode="json"), persist=False)

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
        self._stats.fold(now, {q.id: q.service_level_threshold_s for q in self._core.queues()})
        self._core.forget_finished_before(now - FOLD_AFTER)
