"""The routing core: agents, queues, contacts and offers in memory, and every transition between them.

Pure: no SQLite, no event stream. A command changes the state, checks it against the transition
tables (transitions.py) and records what happened as domain events (domain_events.py) and which
records changed; the shell (engine.py) takes both (`take_events`, `take_changes`), stores the
records, commits, then publishes. Single-threaded: every call happens on the server's event loop
(or in a virtual-time simulation).

Routing (docs/mock-apis.md, "Routing") is indexed (routing.py), never a scan of every contact
against every agent:
- waiting contacts: one heap per (queue, channel), keyed (-contact priority,
  entered_queue_at, number); an entry is valid while its token matches the
  contact's current one (lazy deletion: a contact that is offered, moved or
  abandoned just drops its token);
- routable agents: one heap per (queue, channel) the agent is eligible for and has
  spare capacity in, keyed (idle_since, order of becoming idle); same lazy tokens.
When an agent becomes routable it takes the best head among its queues' heaps
(queue priority, then contact priority, then first in); when a contact is queued
it goes to the head of its (queue, channel) idle heap. Agents are served first, so
a freed agent picks the best waiting contact rather than the newest.

Timers (offer timeout, ACW timeout, the mock's answer to a consult leg) are typed and carry a
generation (timers.py), on the core's monotonic clock; `fire_due()` fires the due ones.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from mock_backends.ccaas.domain_events import (
    AgentStateChanged,
    CallerSelfServed,
    ContactChanged,
    ContactKind,
    DomainEvent,
    OfferClosed,
    OfferMade,
    QueueChanged,
)
from mock_backends.ccaas.errors import Conflict, Invalid, NotFound
from mock_backends.ccaas.records import OfferRecord
from mock_backends.ccaas.routing import RoutingIndex
from mock_backends.ccaas.schemas import (
    IN_HAND,
    TALKING,
    TERMINAL,
    WAITING,
    Agent,
    AgentActivity,
    AttachedData,
    Callback,
    AgentState,
    Channel,
    Consult,
    Contact,
    ContactState,
    NextState,
    Offer,
    OfferState,
    PriorityRule,
    Queue,
    Target,
    last_touched,
)
from mock_backends.ccaas.timers import Timers
from mock_backends.ccaas.transitions import choose_action, require_agent, require_contact, require_offer
from mock_backends.common.clock import Clock

ACW_TIMEOUT_DISPOSITION = "ACW timeout"
CALLBACK_FAILED_DISPOSITION = "Callback: no answer"
DIAL_S = (3.0, 8.0)  # how long the mock's customer phone rings before answering or not
CHOOSABLE = (AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE)
SERVING = frozenset({AgentState.AVAILABLE, AgentState.OFFERED, AgentState.BUSY, AgentState.AFTER_CONTACT_WORK})


class Archive(Protocol):
    """Finished records the core no longer holds in memory (the store), read-only."""

    def contact(self, contact_id: str) -> Contact | None: ...

    def offer(self, offer_id: str) -> OfferRecord | None: ...

    def contacts_handled_by(self, agent_id: str, *, since: datetime) -> list[Contact]: ...


@dataclass
class Changes:
    """Records changed since the last `take_changes()`, to be stored by the shell."""

    agents: dict[str, tuple[Agent, AgentState, str | None]] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    offers: dict[str, OfferRecord] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    self_served: list[CallerSelfServed] = field(default_factory=list)
    declined: dict[str, frozenset[str]] = field(default_factory=dict)  # contact id → who declined it (empty: none)

    def __bool__(self) -> bool:
        return bool(self.agents or self.contacts or self.offers or self.queues or self.self_served or self.declined)


F = TypeVar("F", bound=Callable[..., Any])


def command(method: F) -> F:
    """A change requested from outside: route whatever it made routable before returning."""

    @functools.wraps(method)
    def wrapper(self: Core, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        self._dispatch()
        return result

    return wrapper  # type: ignore[return-value]


class Core:
    def __init__(
        self,
        clock: Clock,
        archive: Archive,
        *,
        offer_timeout_s: float = 15.0,
        monotonic: Callable[[], float],
        rng: random.Random,
        callback_answer_pct: float = 75.0,
        time_scale: float = 1.0,
    ) -> None:
        self.callback_answer_pct = callback_answer_pct
        self.time_scale = time_scale
        self._clock = clock
        self._archive = archive
        self._monotonic = monotonic
        self._rng = rng
        self.offer_timeout_s = offer_timeout_s
        self._queues: dict[str, Queue] = {}
        self._agents: dict[str, Agent] = {}
        self._chosen: dict[str, tuple[AgentState, str | None]] = {}  # what the agent chose, under the derived state
        self._contacts: dict[str, Contact] = {}
        self._by_queue: dict[str, dict[str, Contact]] = {}
        self._offers: dict[str, OfferRecord] = {}  # pending ones (others are only in the archive)
        self._offer_of: dict[str, str] = {}  # agent id → their pending offer id
        self._hand: dict[str, dict[str, Contact]] = {}  # agent id → contacts connected, on hold or in ACW
        self._eligible: dict[str, list[str]] = {}  # agent id → queues they may take
        self._queue_agents: dict[str, set[str]] = {}  # queue id → agents who may take it
        self._index = RoutingIndex()
        self._queued: dict[str, set[str]] = {}  # queue id → queued contact ids
        self._lane_priorities: dict[tuple[str, Channel], Counter[int]] = {}  # queued contacts per priority
        self._indexed: dict[str, tuple[datetime | None, tuple[Channel, ...]]] = {}
        self._idle_seq: dict[str, int] = {}
        self._idle_order = itertools.count()
        self._agents_to_route: set[str] = set()
        self._contacts_to_route: list[str] = []
        # contact id → the agents who rejected or missed its offer: it is tried on others first, until
        # one offer timeout after the last decline (stored: a restart keeps it and starts the timeout again).
        self._declined: dict[str, set[str]] = {}
        self._timers = Timers()
        self._contact_numbers = itertools.count(1)
        self._offer_numbers = itertools.count(1)
        self._events: list[DomainEvent] = []
        self._changes = Changes()

    # --- what the shell takes ---------------------------------------------------

    def take_events(self) -> list[DomainEvent]:
        events, self._events = self._events, []
        return events

    def take_changes(self) -> Changes:
        changes, self._changes = self._changes, Changes()
        return changes

    def has_changes(self) -> bool:
        return bool(self._events) or bool(self._changes)

    # --- setup ----------------------------------------------------------------

    def seed(self, queues: Iterable[Queue], agents: Iterable[Agent]) -> None:
        for queue in queues:
            self._add_queue(queue.model_copy(deep=True))
        for agent in agents:
            agent = _normalised(agent.model_copy(deep=True))
            chosen = agent.state if agent.state in CHOOSABLE else AgentState.OFFLINE
            self._add_agent(agent, chosen, agent.reason if chosen == AgentState.NOT_READY else None)
            self._agent_changed(agent.id)
        for agent_id in self._agents:
            self._refresh(agent_id, publish=False)
        self._dispatch()

    def restore(
        self,
        queues: Iterable[Queue],
        agents: Iterable[tuple[Agent, AgentState, str | None]],
        contacts: Iterable[Contact],
        pending_offers: Iterable[OfferRecord],
        last_contact: int,
        last_offer: int,
        declined: Mapping[str, Iterable[str]],
    ) -> None:
        """Take up the state stored by an earlier run.

        Queued contacts keep their place, contacts in hand stay with their agents, ACW
        deadlines and consult legs keep running; a pending offer gets a fresh timeout
        (the agent could not answer while the server was down), and so does the time a
        declined contact is kept from those who declined it.
        """
        now = self._clock.now()
        for queue in queues:
            self._add_queue(queue, changed=False)
        for agent, chosen, reason in agents:
            self._add_agent(agent, chosen, reason)
        for agent in sorted(self._agents.values(), key=lambda a: (a.idle_since or now, a.id)):
            self._idle_seq[agent.id] = next(self._idle_order)
        for contact in contacts:
            self._contacts[contact.id] = contact
            self._by_queue.setdefault(contact.queue_id, {})[contact.id] = contact
            if contact.state == ContactState.QUEUED:
                self._enqueue(contact)
            elif contact.state in IN_HAND and contact.agent_id in self._hand:
                self._hand[contact.agent_id][contact.id] = contact
                if contact.state == ContactState.AFTER_CONTACT_WORK and contact.acw_deadline:
                    remaining = max(0.0, (contact.acw_deadline - now).total_seconds())
                    self._timers.start("acw", contact.id, self._monotonic() + remaining)
                if contact.consult and contact.consult.state == "ringing":
                    self._timers.start("consult", contact.id, self._due(1.0))
                if contact.callback and contact.callback.state == "dialling":  # the line dropped: dial again
                    self._timers.start("dial", contact.id, self._due(self._rng.uniform(*DIAL_S)))
        self._contact_numbers = itertools.count(last_contact + 1)
        self._offer_numbers = itertools.count(last_offer + 1)
        for contact_id, agent_ids in declined.items():
            contact = self._contacts.get(contact_id)
            if contact is None or contact.state in TERMINAL:
                self._changes.declined[contact_id] = frozenset()
                continue
            self._declined[contact_id] = set(agent_ids)
            self._timers.start("declined", contact_id, self._due(self.offer_timeout_s))
        for offer in pending_offers:
            contact = self._contacts.get(offer.contact_id)
            if contact is None or contact.state != ContactState.OFFERED or contact.agent_id != offer.agent_id:
                offer.state = OfferState.CANCELLED  # cannot happen with a whole transaction log; be safe
                self._changes.offers[offer.id] = offer
                continue
            offer.expires_at = now + self._real(self.offer_timeout_s)
            self._offers[offer.id] = offer
            self._offer_of[offer.agent_id] = offer.id
            self._timers.start("offer", offer.id, self._due(self.offer_timeout_s))
            self._changes.offers[offer.id] = offer
        for contact in self._contacts.values():  # an offered contact whose offer is gone goes back to its place
            if contact.state == ContactState.OFFERED and self._offer_of.get(contact.agent_id or "") is None:
                self._enqueue(contact)
                self._contact_changed(contact, "queued")
        for agent_id in self._agents:
            self._refresh(agent_id)
        self._dispatch()

    def _add_queue(self, queue: Queue, *, changed: bool = True) -> None:
        self._queues[queue.id] = queue
        self._by_queue.setdefault(queue.id, {})
        self._queued.setdefault(queue.id, set())
        self._queue_agents.setdefault(queue.id, set())
        if changed:
            self._changes.queues[queue.id] = queue

    def _add_agent(self, agent: Agent, chosen: AgentState, reason: str | None) -> None:
        self._agents[agent.id] = agent
        self._chosen[agent.id] = (chosen, reason)
        self._hand[agent.id] = {}
        self._idle_seq.setdefault(agent.id, next(self._idle_order))
        self._eligible[agent.id] = [q.id for q in self._queues.values() if _eligible(agent, q)]
        for queue_id in self._eligible[agent.id]:
            self._queue_agents[queue_id].add(agent.id)

    # --- reads ----------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock.now()

    def queues(self) -> list[Queue]:
        return sorted(self._queues.values(), key=lambda q: (-q.priority, q.id))

    def queue(self, queue_id: str) -> Queue:
        try:
            return self._queues[queue_id]
        except KeyError:
            raise NotFound("queue", queue_id) from None

    def agents(self) -> list[Agent]:
        return [self._agents[key] for key in sorted(self._agents)]

    def agent(self, agent_id: str) -> Agent:
        try:
            return self._agents[agent_id]
        except KeyError:
            raise NotFound("agent", agent_id) from None

    def chosen_state(self, agent_id: str) -> tuple[AgentState, str | None]:
        self.agent(agent_id)
        return self._chosen[agent_id]

    def contact(self, contact_id: str) -> Contact:
        """A contact; finished ones no longer in memory come from the archive (read-only: they are terminal)."""
        contact = self._contacts.get(contact_id) or self._archive.contact(contact_id)
        if contact is None:
            raise NotFound("contact", contact_id)
        return contact

    def contacts(self) -> list[Contact]:
        """Every contact the core holds (open ones, and finished ones of about the last hour)."""
        return list(self._contacts.values())

    def offer(self, offer_id: str) -> Offer:
        return self._offer_out(self._offer_record(offer_id))

    def pending_offers(self, agent_id: str) -> list[Offer]:
        self.agent(agent_id)
        offer_id = self._offer_of.get(agent_id)
        return [self._offer_out(self._offers[offer_id])] if offer_id else []

    def all_pending_offers(self) -> list[Offer]:
        """Every pending offer, by id."""
        return [self._offer_out(self._offers[key]) for key in sorted(self._offers)]

    def contacts_in_hand(self, agent_id: str) -> list[Contact]:
        self.agent(agent_id)
        return sorted(self._hand[agent_id].values(), key=lambda c: c.id)

    def queued_contacts(self) -> list[Contact]:
        """Contacts waiting for an agent, in routing order (for tests and the simulator; O(n log n))."""
        queued = [self._contacts[cid] for ids in self._queued.values() for cid in ids]
        return sorted(queued, key=self._routing_key)

    def waiting(self, queue_id: str) -> list[Contact]:
        """Contacts queued or offered in a queue, longest waiting first."""
        self.queue(queue_id)
        mine = [c for c in self._by_queue[queue_id].values() if c.state in WAITING]
        return sorted(mine, key=lambda c: (c.entered_queue_at, c.id))

    def agents_overview(self) -> list[AgentActivity]:
        return [AgentActivity(agent=a, contacts=self.contacts_in_hand(a.id)) for a in self.agents()]

    def contacts_today(self, agent_id: str) -> list[Contact]:
        """Every contact the agent was connected to since midnight, newest first."""
        self.agent(agent_id)
        midnight = self.midnight()
        # The store has every contact (finished ones leave memory); what is held is the same or newer.
        mine = {c.id: c for c in self._archive.contacts_handled_by(agent_id, since=midnight - timedelta(days=1))}
        mine.update((c.id, c) for c in self._contacts.values() if agent_id in c.handled_by)
        today = [c for c in mine.values() if (c.answered_at or c.entered_queue_at) >= midnight]
        return sorted(today, key=lambda c: (c.answered_at or c.entered_queue_at, c.id), reverse=True)

    def eligible_agents(self, queue_id: str) -> list[str]:
        """Agents who have the queue's skills at its minimum proficiencies, by id."""
        self.queue(queue_id)
        return sorted(self._queue_agents[queue_id])

    def spare_channels(self, agent_id: str) -> tuple[Channel, ...]:
        """Channels the agent may be offered a contact in now (empty: not routable).

        Cross-channel rule: voice is exclusive — an agent with a voice contact in hand gets
        no other offer, and gets a voice offer only with nothing in hand. Chat, email and
        SMS combine freely, each up to its capacity. One offer at a time per agent.
        """
        if self._chosen[agent_id][0] != AgentState.AVAILABLE or agent_id in self._offer_of:
            return ()
        agent = self._agents[agent_id]
        if agent.next_state is not None and agent.next_state.state != AgentState.AVAILABLE:
            return ()
        return self._free_channels(agent, self._hand[agent_id].values())

    def kept_from(self, contact_id: str) -> frozenset[str]:
        """The agents this contact is not offered to now: the one who blind-transferred it to a queue, and
        those who rejected or missed its offer (for one offer timeout: other agents are tried first).

        The transfer is derived from the contact (its last hop is a queue; its last handler is that agent),
        so it survives a restart and ends when someone else answers it.
        """
        contact = self._contacts[contact_id]
        kept = set(self._declined.get(contact_id, ()))
        if contact.transfer_path and contact.transfer_path[-1].startswith("queue:") and contact.handled_by:
            kept.add(contact.handled_by[-1])
        return frozenset(kept)

    def best_contact_for(self, agent_id: str, *, if_free: bool = False) -> str | None:
        """The contact routing would offer this agent now (`if_free`: were they available with nothing in hand).

        One heap head per (eligible queue, spare channel); nothing changes.
        """
        self.agent(agent_id)
        if if_free:
            channels = self._free_channels(self._agents[agent_id], ())
        else:
            channels = self._indexed.get(agent_id, (None, ()))[1]
        best: tuple[tuple[int, int, float, int], str] | None = None
        for queue_id in self._eligible[agent_id]:
            queue_key = -self._queues[queue_id].priority
            for channel in channels:
                head = self._index.head_contact((queue_id, channel), lambda c: agent_id in self.kept_from(c))
                if head is not None:
                    key = (queue_key, *head[0])
                    if best is None or key < best[0]:
                        best = (key, head[1])
        return best[1] if best else None

    def queued_ahead(self, queue_id: str, channel: Channel, priority: int) -> int:
        """Contacts queued in (queue, channel) that a new one of this priority would wait behind."""
        counts = self._lane_priorities.get((queue_id, channel), Counter())
        return sum(n for p, n in counts.items() if p >= priority)

    def serving(self, queue_id: str, channel: Channel) -> tuple[int, bool]:
        """(Slots for the channel among the queue's agents signed in and not on a break, whether one is free now)."""
        slots = 0
        for agent_id in self._queue_agents[queue_id]:
            agent = self._agents[agent_id]
            if self._chosen[agent_id][0] == AgentState.AVAILABLE or agent.state in SERVING:
                slots += agent.capacity.get(channel.value, 0)
        return slots, self._index.head_agent((queue_id, channel), ()) is not None

    def next_due(self) -> float | None:
        """When the next timer fires (monotonic seconds), if any."""
        return self._timers.next_due()

    def midnight(self) -> datetime:
        return self._clock.now().replace(hour=0, minute=0, second=0, microsecond=0)

    def _routing_key(self, contact: Contact) -> tuple[int, int, float, int]:
        return (
            -self._queues[contact.queue_id].priority,
            -contact.priority,
            contact.entered_queue_at.timestamp(),
            _number(contact.id),
        )

    # --- agent requests -------------------------------------------------------

    @command
    def set_agent_state(
        self, agent_id: str, state: AgentState, reason: str | None = None, *, by_supervisor: bool = False
    ) -> Agent:
        agent = self.agent(agent_id)
        if state not in CHOOSABLE:
            raise Conflict(f"an agent cannot set themselves {state.value}", agent.state)
        offer_id = self._offer_of.get(agent_id)
        action = choose_action(state, by_supervisor=by_supervisor)
        require_agent(agent, action, has_offer=offer_id is not None, has_hand=bool(self._hand[agent_id]))
        reason = self._checked_reason(agent, state, reason)
        if offer_id:
            self._cancel_offer(self._offers[offer_id], requeue=True)
        if self._chosen[agent_id] == (state, reason) and agent.next_state is None:
            return agent  # nothing changes (an available agent keeps their place)
        self._chosen[agent_id] = (state, reason)
        agent.next_state = None
        self._refresh(agent_id, force=True)
        return agent

    @command
    def update_agent(
        self, agent_id: str, *, capacity: dict[str, int] | None = None, proficiency: dict[str, int] | None = None
    ) -> Agent:
        """New capacities or proficiencies (a supervisor's settings): eligibility and the indexes follow."""
        agent = self.agent(agent_id)
        if capacity:
            agent.capacity.update(capacity)
        if proficiency:
            for skill, level in proficiency.items():
                if level:
                    agent.proficiency[skill] = level
                else:
                    agent.proficiency.pop(skill, None)
            agent.skills = [s for s in agent.skills if s in agent.proficiency]
            agent.skills += [s for s in agent.proficiency if s not in agent.skills]
        for queue_id in self._eligible[agent_id]:
            self._queue_agents[queue_id].discard(agent_id)
        self._eligible[agent_id] = [q.id for q in self._queues.values() if _eligible(agent, q)]
        for queue_id in self._eligible[agent_id]:
            self._queue_agents[queue_id].add(agent_id)
        self._indexed.pop(agent_id, None)  # index them again under their new queues and channels
        self._refresh(agent_id, force=True)
        return agent

    @command
    def set_next_state(self, agent_id: str, state: AgentState | None, reason: str | None = None) -> Agent:
        agent = self.agent(agent_id)
        if state is None:
            agent.next_state = None
        else:
            if state not in CHOOSABLE:
                raise Conflict(f"an agent cannot set themselves {state.value}", agent.state)
            reason = self._checked_reason(agent, state, reason)
            if not self._hand[agent_id] and agent_id not in self._offer_of:
                self._chosen[agent_id] = (state, reason)  # nothing to finish: it applies now
                agent.next_state = None
            else:
                agent.next_state = NextState(state=state, reason=reason)
        self._refresh(agent_id, force=True)
        return agent

    def _checked_reason(self, agent: Agent, state: AgentState, reason: str | None) -> str | None:
        if state != AgentState.NOT_READY:
            return None
        if reason not in agent.not_ready_reasons:
            raise Invalid("reason", f"not_ready needs a reason, one of {agent.not_ready_reasons}", reason)
        return reason

    @command
    def accept(self, offer_id: str) -> Contact:
        offer = self._pending(offer_id, "accept")
        contact = self._contacts[offer.contact_id]
        now = self._clock.now()
        self._close_offer(offer, OfferState.ACCEPTED)
        self._forget_declines(contact.id)
        contact.state = ContactState.CONNECTED
        callback = contact.callback
        if callback is not None and callback.state in ("waiting", "no_answer"):
            callback.state, callback.retry_at = "dialling", None  # answered when the customer picks up
            callback.attempts += 1
            contact.direction = "outbound"
            self._timers.start("dial", contact.id, self._due(self._rng.uniform(*DIAL_S)))
        elif contact.answered_at is None:
            contact.answered_at = now
        contact.handled_by.append(offer.agent_id)
        self._hand[offer.agent_id][contact.id] = contact
        self._contact_changed(contact, "connected")
        self._refresh(offer.agent_id)
        return contact

    @command
    def reject(self, offer_id: str) -> Offer:
        return self._decline(self._pending(offer_id, "reject"), OfferState.REJECTED, "Rejected")

    @command
    def hold(self, contact_id: str) -> Contact:
        contact = self.contact(contact_id)
        require_contact(contact, "hold")
        _not_dialling(contact)
        contact.state = ContactState.ON_HOLD
        contact.held_at = self._clock.now()
        self._contact_changed(contact, "held")
        return contact

    @command
    def resume(self, contact_id: str) -> Contact:
        contact = self.contact(contact_id)
        require_contact(contact, "resume")
        if contact.consult is not None:
            raise Conflict("a consult is in progress: complete or cancel it", contact.state)
        self._unhold(contact)
        contact.state = ContactState.CONNECTED
        self._contact_changed(contact, "resumed")
        return contact

    @command
    def end(self, contact_id: str) -> Contact:
        contact = self.contact(contact_id)
        require_contact(contact, "end")
        _not_dialling(contact)
        self._drop_consult(contact)
        self._to_acw(contact)
        self._contact_changed(contact, "ended")
        assert contact.agent_id is not None
        self._refresh(contact.agent_id)
        return contact

    @command
    def complete(
        self, contact_id: str, disposition: str, *, then: tuple[AgentState, str | None] | None = None
    ) -> Contact:
        """Wrap a contact up; once nothing is in hand the agent takes their next state (or `then`, e.g. a break)."""
        contact = self.contact(contact_id)
        require_contact(contact, "complete")
        dispositions = self._queues[contact.queue_id].dispositions
        if disposition not in dispositions and disposition != ACW_TIMEOUT_DISPOSITION:
            raise Invalid("disposition", f"disposition must be one of {dispositions}", disposition)
        contact.state = ContactState.COMPLETED
        contact.completed_at = self._clock.now()
        contact.disposition = disposition
        self._timers.cancel("acw", contact.id)
        assert contact.agent_id is not None
        agent_id = contact.agent_id
        self._hand[agent_id].pop(contact.id, None)
        self._contact_changed(contact, "completed")
        if then is not None and not self._hand[agent_id] and agent_id not in self._offer_of:
            self._chosen[agent_id] = then
            self._agents[agent_id].next_state = None
        self._hand_freed(agent_id)
        return contact

    # --- transfers ------------------------------------------------------------

    @command
    def transfer(self, contact_id: str, target: Target) -> Contact:
        """Blind transfer: to a queue (queued again, keeping its wait), an agent (offered) or an address (leaves)."""
        contact = self.contact(contact_id)
        require_contact(contact, "transfer")
        _not_dialling(contact)
        self._check_target(contact, target, reachable=True)
        self._drop_consult(contact)
        self._transfer_to(contact, target)
        return contact

    @command
    def consult(self, contact_id: str, target: Target) -> Contact:
        """The customer waits on hold while a second leg rings the target; the mock answers it in 1–3 s."""
        contact = self.contact(contact_id)
        require_contact(contact, "consult")
        _not_dialling(contact)
        if contact.consult is not None:
            raise Conflict(f"a consult is already {contact.consult.state}", contact.state)
        named = self._check_target(contact, target, reachable=False)
        now = self._clock.now()
        if contact.state == ContactState.CONNECTED:
            contact.state = ContactState.ON_HOLD
            contact.held_at = now
        contact.consult = Consult(target=named, state="ringing", started_at=now)
        self._timers.start("consult", contact.id, self._due(self._rng.uniform(1.0, 3.0)))
        self._contact_changed(contact, "consult")
        return contact

    @command
    def complete_consult(self, contact_id: str) -> Contact:
        contact = self.contact(contact_id)
        require_contact(contact, "complete_consult")
        consult = contact.consult
        if consult is None:
            raise Conflict("no consult in progress", contact.state)
        if consult.state != "connected":
            raise Conflict(f"the consult leg is {consult.state}", consult.state)
        target = consult.target
        if target.kind == "agent":
            self._check_target(contact, target, reachable=True)
            old = contact.agent_id
            assert old is not None
            self._unhold(contact)
            self._hand[old].pop(contact.id, None)
            self._drop_consult(contact)
            contact.state = ContactState.CONNECTED
            contact.agent_id = target.id
            contact.handled_by.append(target.id)
            contact.transfer_path.append(f"agent:{target.id}")
            self._hand[target.id][contact.id] = contact
            self._contact_changed(contact, "transferred", from_agent=old)
            self._refresh(target.id)
            self._hand_freed(old)
        else:
            self._drop_consult(contact)
            self._transfer_to(contact, target)
        return contact

    @command
    def cancel_consult(self, contact_id: str) -> Contact:
        contact = self.contact(contact_id)
        require_contact(contact, "cancel_consult")
        if contact.consult is None:
            raise Conflict("no consult in progress", contact.state)
        self._drop_consult(contact)
        self._unhold(contact)
        contact.state = ContactState.CONNECTED
        self._contact_changed(contact, "consult")
        return contact

    def _drop_consult(self, contact: Contact) -> None:
        contact.consult = None
        self._timers.cancel("consult", contact.id)

    def _check_target(self, contact: Contact, target: Target, *, reachable: bool) -> Target:
        """The target exists (422 otherwise); with `reachable`, an agent target can take the contact now (409)."""
        if target.kind == "queue":
            if target.id not in self._queues:
                raise Invalid("target", f"unknown queue, one of {sorted(self._queues)}", target.id)
            return target.model_copy(update={"name": self._queues[target.id].name})
        if target.kind == "agent":
            if target.id not in self._agents:
                raise Invalid("target", "unknown agent", target.id)
            if target.id == contact.agent_id:
                raise Conflict("cannot transfer a contact to its own agent", contact.state)
            if reachable and contact.channel not in self.spare_channels(target.id):
                raise Conflict(
                    f"agent {target.id} cannot take a {contact.channel.value} contact now",
                    self._agents[target.id].state,
                )
            return target.model_copy(update={"name": self._agents[target.id].name})
        if not target.id.startswith(("sip:", "tel:")) or len(target.id) < 5:
            raise Invalid("target", "an address is a sip: or tel: URI", target.id)
        return target

    def _transfer_to(self, contact: Contact, target: Target) -> None:
        old = contact.agent_id
        assert old is not None
        if target.kind == "address":  # the call leaves the contact center; the agent wraps up
            self._unhold(contact)
            contact.transfer_path.append(f"address:{target.id}")
            self._to_acw(contact)
            self._contact_changed(contact, "transferred")
            self._refresh(old)
            return
        self._unhold(contact)
        self._hand[old].pop(contact.id, None)
        contact.transfer_path.append(f"{target.kind}:{target.id}")
        if target.kind == "queue":
            self._set_queue(contact, target.id)
            self._enqueue(contact)
            self._contact_changed(contact, "transferred", from_agent=old)
        else:
            self._make_offer(contact, target.id, from_agent=old, kind="transferred")
        self._hand_freed(old)

    # --- supervisor requests --------------------------------------------------

    @command
    def move(self, contact_id: str, queue_id: str) -> Contact:
        contact = self.contact(contact_id)
        require_contact(contact, "move")
        if queue_id not in self._queues:
            raise Invalid("queue_id", f"unknown queue, one of {sorted(self._queues)}", queue_id)
        self._dequeue(contact)
        self._set_queue(contact, queue_id)
        self._enqueue(contact)
        self._contact_changed(contact, "moved")
        return contact

    @command
    def update_queue(
        self,
        queue_id: str,
        *,
        priority: int | None = None,
        acw_timeout_s: int | None = None,
        priority_rules: list[PriorityRule] | None = None,
        callbacks: dict[str, int] | None = None,
    ) -> Queue:
        """A new routing priority (applies to the next decision), ACW timeout (to contacts entering ACW),
        priority rules (to contacts entering the queue) or callback settings (`callback_offer_after_s`,
        `callback_retry_s`, `callback_max_attempts`: to callbacks requested from then on)."""
        queue = self.queue(queue_id)
        for name, value in (callbacks or {}).items():
            setattr(queue, name, value)
        if priority_rules is not None:
            queue.priority_rules = [rule.model_copy() for rule in priority_rules]
        if priority is not None:
            queue.priority = priority
        if acw_timeout_s is not None:
            queue.acw_timeout_s = acw_timeout_s
        self._changes.queues[queue.id] = queue
        self._events.append(QueueChanged(queue_id=queue.id))
        return queue

    # --- contacts arriving and leaving ----------------------------------------

    @command
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
        ewt_s: float | None = None,
    ) -> Contact:
        """A new contact at the back of its queue; the queue's rules may raise its priority from `attached`."""
        if queue_id not in self._queues:
            raise Invalid("queue_id", f"unknown queue, one of {sorted(self._queues)}", queue_id)
        queue = self._queues[queue_id]
        contact = Contact(
            id=f"c-{next(self._contact_numbers):06d}",
            channel=channel,
            queue_id=queue.id,
            queue_name=queue.name,
            from_address=from_address,
            subject=subject,
            state=ContactState.QUEUED,
            entered_queue_at=entered_queue_at or self._clock.now(),
            priority=priority + priority_raise(queue, attached),
            attached=attached.model_copy(deep=True) if attached else None,
            ewt_s=ewt_s,
        )
        self._contacts[contact.id] = contact
        self._by_queue[queue.id][contact.id] = contact
        self._enqueue(contact)
        self._contact_changed(contact, "queued")
        return contact

    @command
    def request_callback(self, contact_id: str, number: str | None = None, reason: str | None = None) -> Contact:
        """A waiting voice caller asks to be called back: they hang up and keep their place in the queue."""
        contact = self.contact(contact_id)
        require_contact(contact, "callback")
        queue = self._queues[contact.queue_id]
        if contact.channel != Channel.VOICE:
            raise Conflict(f"a callback is for voice callers, not {contact.channel.value}", contact.state)
        if contact.callback is not None:
            raise Conflict(f"a callback is already {contact.callback.state}", contact.state)
        if queue.callback_offer_after_s is None:
            raise Conflict(f"queue {queue.id} offers no callbacks", contact.state)
        now = self._clock.now()
        waited = (now - contact.entered_queue_at).total_seconds() * self.time_scale  # in the mock's seconds
        if waited < queue.callback_offer_after_s:
            raise Conflict(
                f"a callback is offered after {queue.callback_offer_after_s} s of waiting ({waited:.0f} s so far)",
                contact.state,
            )
        contact.callback = Callback(
            number=number or contact.from_address,
            reason=reason or contact.subject,
            requested_at=now,
            max_attempts=queue.callback_max_attempts,
        )
        contact.direction = "outbound"
        self._contact_changed(contact, "callback")
        return contact

    def _dialled(self, contact_id: str) -> None:
        """The customer's phone rang: they answer (at the configured rate) or a retry is scheduled, or it fails."""
        contact = self._contacts.get(contact_id)
        callback = contact.callback if contact else None
        if contact is None or callback is None or callback.state != "dialling" or contact.state not in TALKING:
            return
        now = self._clock.now()
        if self._rng.random() * 100 < self.callback_answer_pct:
            callback.state = "answered"
            if contact.answered_at is None:
                contact.answered_at = now
            self._contact_changed(contact, "connected")
            return
        agent_id = contact.agent_id
        assert agent_id is not None
        self._hand[agent_id].pop(contact.id, None)
        if callback.attempts >= callback.max_attempts:
            callback.state = "failed"
            contact.state = ContactState.COMPLETED
            contact.ended_at = contact.completed_at = now
            contact.disposition = CALLBACK_FAILED_DISPOSITION
        else:
            callback.state = "no_answer"
            callback.retry_at = now + self._real(self._queues[contact.queue_id].callback_retry_s)
            self._enqueue(contact)
        self._contact_changed(contact, "callback", from_agent=agent_id)
        self._hand_freed(agent_id)

    def _retry_due(self, contact_id: str) -> None:
        contact = self._contacts.get(contact_id)
        if contact is None or contact.state != ContactState.QUEUED or contact.callback is None:
            return
        contact.callback.retry_at = None
        self._enqueue(contact)
        self._contact_changed(contact, "queued")

    @command
    def self_served(self, queue_id: str, intent: str | None, menu_path: list[str]) -> CallerSelfServed:
        """A caller the IVR's self-service served for this queue: they never reach it (containment)."""
        self.queue(queue_id)
        event = CallerSelfServed(queue_id=queue_id, at=self._clock.now(), intent=intent, menu_path=tuple(menu_path))
        self._changes.self_served.append(event)
        self._events.append(event)
        return event

    @command
    def abandon(self, contact_id: str) -> Contact:
        """The caller gives up while queued or being offered (the offer is cancelled, the agent not missed)."""
        contact = self.contact(contact_id)
        require_contact(contact, "abandon")
        agent_id = contact.agent_id if contact.state == ContactState.OFFERED else None
        offer_id = self._offer_of.get(agent_id) if agent_id else None
        self._dequeue(contact)
        self._forget_declines(contact.id)
        contact.state = ContactState.ABANDONED
        contact.ended_at = self._clock.now()
        contact.agent_id = None
        self._contact_changed(contact, "abandoned", from_agent=agent_id)
        if offer_id:
            self._cancel_offer(self._offers[offer_id], requeue=False)
        return contact

    def forget_finished_before(self, cutoff: datetime) -> list[str]:
        """Finished contacts from before `cutoff` leave memory (they stay in the archive): a long run stays small."""
        gone = []
        for contact in [c for c in self._contacts.values() if c.state in TERMINAL]:
            if last_touched(contact) < cutoff:
                del self._contacts[contact.id]
                self._by_queue[contact.queue_id].pop(contact.id, None)
                gone.append(contact.id)
        return gone

    # --- timers ---------------------------------------------------------------

    def _real(self, seconds: float) -> timedelta:
        """A protocol duration (an offer's timeout, ACW, a consult leg, a dial) as it passes at the mock's
        `time_scale`: tests run these timers many times faster and prove the same transitions."""
        return timedelta(seconds=seconds / self.time_scale)

    def _due(self, seconds: float) -> float:
        """When, on the monotonic clock, a protocol duration that starts now ends (see `_real`)."""
        return self._monotonic() + seconds / self.time_scale

    @command
    def fire_due(self) -> None:
        """Fire the timers due on the monotonic clock: offers expire, ACW times out, consult legs answer."""
        now = self._monotonic()
        while (timer := self._timers.pop_due(now)) is not None:
            if timer.kind == "offer" and timer.ref in self._offers:
                self._decline(self._offers[timer.ref], OfferState.EXPIRED, "Offer timed out")
            elif timer.kind == "acw":
                contact = self._contacts.get(timer.ref)
                if contact and contact.state == ContactState.AFTER_CONTACT_WORK:
                    self.complete(contact.id, ACW_TIMEOUT_DISPOSITION)
            elif timer.kind == "consult":
                self._answer_consult(timer.ref)
            elif timer.kind == "dial":
                self._dialled(timer.ref)
            elif timer.kind == "retry":
                self._retry_due(timer.ref)
            elif timer.kind == "declined":
                self._declined_over(timer.ref)

    def _forget_declines(self, contact_id: str) -> None:
        if self._declined.pop(contact_id, None) is not None:
            self._changes.declined[contact_id] = frozenset()
        self._timers.cancel("declined", contact_id)

    def _declined_over(self, contact_id: str) -> None:
        """Nobody else took it in time: those who declined it may be offered it again."""
        self._forget_declines(contact_id)
        contact = self._contacts.get(contact_id)
        if contact is not None and contact.state == ContactState.QUEUED:
            self._contacts_to_route.append(contact_id)

    def _answer_consult(self, contact_id: str) -> None:
        contact = self._contacts.get(contact_id)
        consult = contact.consult if contact else None
        if contact is None or consult is None or consult.state != "ringing":
            return
        target = consult.target
        if target.kind == "agent":
            answered = contact.channel in self.spare_channels(target.id)
        elif target.kind == "queue":
            answered = self._index.head_agent((target.id, contact.channel), (contact.agent_id,)) is not None
        else:
            answered = True  # an expert's address: the mock picks up
        consult.state = "connected" if answered else "failed"
        self._contact_changed(contact, "consult")

    # --- routing --------------------------------------------------------------

    def _free_channels(self, agent: Agent, hand: Iterable[Contact]) -> tuple[Channel, ...]:
        capacity = agent.capacity
        used = Counter(c.channel for c in hand)
        if not used:
            return tuple(ch for ch in Channel if capacity.get(ch.value, 0) > 0)
        if used[Channel.VOICE]:
            return ()
        return tuple(ch for ch in Channel if ch != Channel.VOICE and used[ch] < capacity.get(ch.value, 0))

    def _enqueue(self, contact: Contact) -> None:
        """Queued at its place (entered_queue_at); a callback waiting to be retried is routed only from retry_at."""
        contact.state = ContactState.QUEUED
        contact.agent_id = None
        contact.offered_at = None
        if contact.id not in self._queued[contact.queue_id]:
            self._queued[contact.queue_id].add(contact.id)
            self._lane_priorities.setdefault((contact.queue_id, contact.channel), Counter())[contact.priority] += 1
        retry_at = contact.callback.retry_at if contact.callback else None
        if retry_at is not None and retry_at > self._clock.now():
            self._index.remove_contact(contact.id)
            delay = (retry_at - self._clock.now()).total_seconds()
            self._timers.start("retry", contact.id, self._monotonic() + delay)
            return
        key = (-contact.priority, contact.entered_queue_at.timestamp(), _number(contact.id))
        self._index.add_contact((contact.queue_id, contact.channel), contact.id, key)
        self._contacts_to_route.append(contact.id)

    def _dequeue(self, contact: Contact) -> None:
        self._index.remove_contact(contact.id)
        if contact.id in self._queued[contact.queue_id]:
            self._queued[contact.queue_id].discard(contact.id)
            self._lane_priorities[(contact.queue_id, contact.channel)][contact.priority] -= 1

    def _set_queue(self, contact: Contact, queue_id: str) -> None:
        """The contact changes queue (not while queued): the new queue's priority rules replace the old one's."""
        old, new = self._queues[contact.queue_id], self._queues[queue_id]
        contact.priority += priority_raise(new, contact.attached) - priority_raise(old, contact.attached)
        self._by_queue[contact.queue_id].pop(contact.id, None)
        contact.queue_id = queue_id
        contact.queue_name = self._queues[queue_id].name
        self._by_queue[queue_id][contact.id] = contact

    def _dispatch(self) -> None:
        """Offer what became routable: freed agents take the best waiting contact, then new contacts find agents."""
        while self._agents_to_route or self._contacts_to_route:
            now = self._clock.now()
            agents = sorted(self._agents_to_route, key=lambda a: (self._agents[a].idle_since or now, self._idle_seq[a]))
            self._agents_to_route.clear()
            for agent_id in agents:
                if not self.spare_channels(agent_id):
                    continue
                contact_id = self.best_contact_for(agent_id)
                if contact_id is not None:
                    self._make_offer(self._contacts[contact_id], agent_id)
            contacts, self._contacts_to_route = self._contacts_to_route, []
            for contact_id in contacts:
                contact = self._contacts[contact_id]
                if contact.state != ContactState.QUEUED:
                    continue
                agent_id = self._index.head_agent((contact.queue_id, contact.channel), self.kept_from(contact_id))
                if agent_id is not None:
                    self._make_offer(contact, agent_id)

    def _make_offer(
        self, contact: Contact, agent_id: str, *, from_agent: str | None = None, kind: ContactKind = "offered"
    ) -> None:
        now = self._clock.now()
        offer = OfferRecord(
            id=f"o-{next(self._offer_numbers):06d}",
            agent_id=agent_id,
            contact_id=contact.id,
            state=OfferState.PENDING,
            offered_at=now,
            expires_at=now + self._real(self.offer_timeout_s),
        )
        self._offers[offer.id] = offer
        self._offer_of[agent_id] = offer.id
        self._timers.start("offer", offer.id, self._due(self.offer_timeout_s))
        self._changes.offers[offer.id] = offer
        self._dequeue(contact)
        contact.state = ContactState.OFFERED
        contact.agent_id = agent_id
        contact.offered_at = now
        self._contact_changed(contact, kind, from_agent=from_agent)
        self._events.append(OfferMade(offer=self._offer_out(offer)))
        self._refresh(agent_id)

    def _decline(self, offer: OfferRecord, state: OfferState, reason: str) -> Offer:
        """A rejected or expired offer: the contact goes back to its place, the agent goes `missed`."""
        contact = self._contacts[offer.contact_id]
        agent = self._agents[offer.agent_id]
        self._close_offer(offer, state)
        # Back in its place, offered to the others first (a platform does not hand it straight back).
        declined = self._declined.setdefault(contact.id, set())
        declined.add(offer.agent_id)
        self._changes.declined[contact.id] = frozenset(declined)
        self._timers.start("declined", contact.id, self._due(self.offer_timeout_s))
        self._enqueue(contact)
        self._contact_changed(contact, "queued", from_agent=offer.agent_id)
        closed = self._offer_out(offer)
        self._events.append(OfferClosed(offer=closed))
        leaving = agent.next_state is not None and agent.next_state.state != AgentState.AVAILABLE
        if leaving and not self._hand[agent.id]:
            self._hand_freed(agent.id)  # they asked to leave: they leave rather than go missed
        else:
            self._chosen[agent.id] = (AgentState.MISSED, reason)
            agent.next_state = None
            self._refresh(agent.id, force=True)
        return closed

    def _cancel_offer(self, offer: OfferRecord, *, requeue: bool) -> None:
        contact = self._contacts[offer.contact_id]
        self._close_offer(offer, OfferState.CANCELLED)
        if requeue:
            self._enqueue(contact)
            self._contact_changed(contact, "queued", from_agent=offer.agent_id)
        self._events.append(OfferClosed(offer=self._offer_out(offer)))
        self._hand_freed(offer.agent_id)

    def _close_offer(self, offer: OfferRecord, state: OfferState) -> None:
        offer.state = state
        self._offers.pop(offer.id, None)
        self._timers.cancel("offer", offer.id)
        if self._offer_of.get(offer.agent_id) == offer.id:
            del self._offer_of[offer.agent_id]
        self._changes.offers[offer.id] = offer

    def _pending(self, offer_id: str, action: str) -> OfferRecord:
        offer = self._offer_record(offer_id)
        require_offer(offer.state, action)
        return offer

    def _offer_record(self, offer_id: str) -> OfferRecord:
        offer = self._offers.get(offer_id) or self._changes.offers.get(offer_id) or self._archive.offer(offer_id)
        if offer is None:
            raise NotFound("offer", offer_id)
        return offer

    def _offer_out(self, offer: OfferRecord) -> Offer:
        contact = self._contacts.get(offer.contact_id) or self._archive.contact(offer.contact_id)
        assert contact is not None, f"offer {offer.id} has no contact"
        return Offer(
            id=offer.id,
            agent_id=offer.agent_id,
            contact=contact.model_copy(deep=True),
            state=offer.state,
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
        )

    # --- contact bookkeeping --------------------------------------------------

    def _unhold(self, contact: Contact) -> None:
        if contact.held_at is not None:
            contact.hold_s = round(contact.hold_s + (self._clock.now() - contact.held_at).total_seconds(), 3)
            contact.held_at = None

    def _to_acw(self, contact: Contact) -> None:
        self._unhold(contact)
        now = self._clock.now()
        contact.state = ContactState.AFTER_CONTACT_WORK
        contact.ended_at = now
        timeout = self._queues[contact.queue_id].acw_timeout_s
        if timeout is not None:
            contact.acw_deadline = now + self._real(float(timeout))
            self._timers.start("acw", contact.id, self._due(float(timeout)))

    def _hand_freed(self, agent_id: str) -> None:
        """A contact or offer left the agent: with nothing left, a requested next state applies."""
        agent = self._agents[agent_id]
        if not self._hand[agent_id] and agent_id not in self._offer_of and agent.next_state is not None:
            self._chosen[agent_id] = (agent.next_state.state, agent.next_state.reason)
            agent.next_state = None
            self._refresh(agent_id, force=True)
        else:
            self._refresh(agent_id)

    # --- state changes and their events ---------------------------------------

    def _refresh(self, agent_id: str, *, force: bool = False, publish: bool = True) -> None:
        """Derive the agent's state from their hand, re-index their routability, record what changed."""
        agent = self._agents[agent_id]
        chosen, chosen_reason = self._chosen[agent_id]
        hand = self._hand[agent_id].values()
        if any(c.state in TALKING for c in hand):
            state, reason = AgentState.BUSY, None
        elif hand:
            state, reason = AgentState.AFTER_CONTACT_WORK, None
        elif agent_id in self._offer_of:
            state, reason = AgentState.OFFERED, None
        else:
            state, reason = chosen, chosen_reason
        now = self._clock.now()
        changed = force
        if state != agent.state:
            agent.state_since = now
        if (state, reason) != (agent.state, agent.reason):
            agent.state, agent.reason = state, reason
            changed = True
        spare = self.spare_channels(agent_id)
        if spare and agent.idle_since is None:
            agent.idle_since = now
            self._idle_seq[agent_id] = next(self._idle_order)
            changed = True
        elif not spare and agent.idle_since is not None:
            agent.idle_since = None
            changed = True
        signature = (agent.idle_since, spare)
        if signature != self._indexed.get(agent_id):
            self._indexed[agent_id] = signature
            lanes = [(queue_id, channel) for queue_id in self._eligible[agent_id] for channel in spare]
            since = agent.idle_since.timestamp() if agent.idle_since else 0.0
            self._index.set_agent(agent_id, lanes, since, self._idle_seq[agent_id])
            if spare:
                self._agents_to_route.add(agent_id)
        if changed:
            self._agent_changed(agent_id)
            if publish:
                self._events.append(AgentStateChanged(agent=_agent_snapshot(agent)))

    def _agent_changed(self, agent_id: str) -> None:
        chosen, reason = self._chosen[agent_id]
        self._changes.agents[agent_id] = (self._agents[agent_id], chosen, reason)

    def _contact_changed(self, contact: Contact, kind: ContactKind, *, from_agent: str | None = None) -> None:
        self._changes.contacts[contact.id] = contact
        self._events.append(ContactChanged(kind=kind, contact=_snapshot(contact), from_agent=from_agent))


def _snapshot(contact: Contact) -> Contact:
    """A copy of the contact as it is now (its lists and consult copied, the rest is immutable)."""
    return contact.model_copy(
        update={
            "transfer_path": list(contact.transfer_path),
            "handled_by": list(contact.handled_by),
            "consult": contact.consult.model_copy(deep=True) if contact.consult else None,
        }
    )


def _not_dialling(contact: Contact) -> None:
    if contact.callback is not None and contact.callback.state == "dialling":
        raise Conflict("the callback is dialling: wait for the customer to answer", contact.state)


def priority_raise(queue: Queue, attached: AttachedData | None) -> int:
    """The largest raise among the queue's rules that the attached data matches (0 without any)."""
    if attached is None:
        return 0
    raises = [
        rule.raise_by
        for rule in queue.priority_rules
        if (rule.tier is None or (attached.tier or "").casefold() == rule.tier.casefold())
        and (rule.vip is None or attached.vip == rule.vip)
        and (rule.verified is None or attached.verified == rule.verified)
    ]
    return max(raises, default=0)


def _agent_snapshot(agent: Agent) -> Agent:
    """A copy of the agent as they are now (their collections copied; next_state is replaced, never changed)."""
    return agent.model_copy(
        update={
            "skills": list(agent.skills),
            "not_ready_reasons": list(agent.not_ready_reasons),
            "proficiency": dict(agent.proficiency),
            "capacity": dict(agent.capacity),
        }
    )


def _number(id_: str) -> int:
    return int(id_.split("-", 1)[1])


def _normalised(agent: Agent) -> Agent:
    """Every skill has a proficiency (3 unless given) and every proficiency is a skill."""
    for skill in agent.skills:
        agent.proficiency.setdefault(skill, 3)
    agent.skills = [*agent.skills, *(s for s in agent.proficiency if s not in agent.skills)]
    return agent


def _eligible(agent: Agent, queue: Queue) -> bool:
    """An agent may take a queue's contacts when they have each of its skills at its minimum proficiency."""
    return all(agent.proficiency.get(skill, 0) >= queue.min_proficiency.get(skill, 1) for skill in queue.skills)
