"""The routing engine: agents, queues, contacts and offers, and every transition between them.

Plain Python, single-threaded: every call happens on the server's event loop.
Each change is written through to SQLite (`Store`) and published as an event
to `agent:{agent_id}` (the agent concerned) and `supervisor` (everything).

Routing: whenever a contact is queued or an agent becomes available, the queued
contacts are taken in order (queue priority, then time entered in the queue);
each is offered to the eligible `available` agent (having all the queue's
skills) who has been idle the longest. An offer left pending for the offer
timeout (real seconds, measured on the monotonic clock) expires.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from mock_backends.ccaas.schemas import (
    IN_HAND,
    Agent,
    AgentState,
    AgentStateEvent,
    Channel,
    Contact,
    ContactEvent,
    ContactState,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    Queue,
    QueueStats,
)
from mock_backends.ccaas.stats import queue_stats
from mock_backends.ccaas.store import OfferRecord, Store
from mock_backends.common.clock import Clock
from mock_backends.common.event_log import EventLog

SUPERVISOR_TOPIC = "supervisor"


def agent_topic(agent_id: str) -> str:
    return f"agent:{agent_id}"


class NotFound(Exception):
    def __init__(self, kind: str, id_: str) -> None:
        super().__init__(f"{kind} {id_} not found")


class Conflict(Exception):
    """An illegal transition; `state` is the current state that forbids it."""

    def __init__(self, detail: str, state: str) -> None:
        super().__init__(detail)
        self.state = state


class Invalid(Exception):
    """A request field with a value the engine refuses (answered like a validation error)."""

    def __init__(self, field: str, message: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class Engine:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        clock: Clock,
        *,
        offer_timeout_s: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._events = events
        self._clock = clock
        self._monotonic = monotonic
        self.offer_timeout_s = offer_timeout_s
        self._queues: dict[str, Queue] = {}
        self._agents: dict[str, Agent] = {}
        self._contacts: dict[str, Contact] = {}
        self._offers: dict[str, OfferRecord] = {}  # pending ones (others are only in the store)
        self._deadlines: dict[str, float] = {}  # offer id → monotonic expiry
        self._idle_order = itertools.count()
        self._idle_rank: dict[str, int] = {}  # tie-break of equal state_since (frozen clock)
        self._contact_numbers = itertools.count(1)
        self._offer_numbers = itertools.count(1)

    # --- setup ----------------------------------------------------------------

    def seed(self, queues: Iterable[Queue], agents: Iterable[Agent]) -> None:
        for queue in queues:
            self._queues[queue.id] = queue = queue.model_copy(deep=True)
            self._store.save_queue(queue)
        for agent in agents:
            self._agents[agent.id] = agent
            self._store.save_agent(agent)

    def load(self) -> None:
        """Take up the state stored by an earlier run (pending offers get a fresh timeout)."""
        self._queues = {queue.id: queue for queue in self._store.queues()}
        self._agents = {agent.id: agent for agent in self._store.agents()}
        for agent in sorted(self._agents.values(), key=lambda a: a.state_since):
            self._idle_rank[agent.id] = next(self._idle_order)
        self._contacts = {c.id: c for c in self._store.contacts(since=self._midnight())}
        self._contact_numbers = itertools.count(self._store.last_number("contacts") + 1)
        self._offer_numbers = itertools.count(self._store.last_number("offers") + 1)
        for offer in self._store.pending_offers():  # the agent gets a full timeout to answer
            offer.expires_at = self._clock.now() + timedelta(seconds=self.offer_timeout_s)
            self._offers[offer.id] = offer
            self._deadlines[offer.id] = self._monotonic() + self.offer_timeout_s
            self._store.save_offer(offer)
        self.dispatch()

    # --- reads ----------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock.now()

    def queues(self) -> list[Queue]:
        return sorted(self._queues.values(), key=lambda q: (q.priority, q.id))

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

    def contact(self, contact_id: str) -> Contact:
        try:
            return self._contacts[contact_id]
        except KeyError:
            raise NotFound("contact", contact_id) from None

    def offer(self, offer_id: str) -> Offer:
        return self._offer_out(self._offer_record(offer_id))

    def pending_offers(self, agent_id: str) -> list[Offer]:
        self.agent(agent_id)
        return [self._offer_out(o) for o in self._offers.values() if o.agent_id == agent_id]

    def contacts_in_hand(self, agent_id: str) -> list[Contact]:
        self.agent(agent_id)
        return [c for c in self._contacts.values() if c.agent_id == agent_id and c.state in IN_HAND]

    def queued_contacts(self) -> list[Contact]:
        """Contacts waiting for an agent, in routing order."""
        queued = [c for c in self._contacts.values() if c.state == ContactState.QUEUED]
        return sorted(queued, key=lambda c: (self._queues[c.queue_id].priority, c.entered_queue_at, c.id))

    # --- agent requests -------------------------------------------------------

    def set_agent_state(self, agent_id: str, state: AgentState, reason: str | None = None) -> Agent:
        agent = self.agent(agent_id)
        if any(o.agent_id == agent_id for o in self._offers.values()):
            raise Conflict("agent has a pending offer", agent.state)
        if self.contacts_in_hand(agent_id):
            raise Conflict("agent has a contact in hand", agent.state)
        if state == AgentState.NOT_READY:
            if reason not in agent.not_ready_reasons:
                raise Invalid("reason", f"not_ready needs a reason, one of {agent.not_ready_reasons}", reason)
        elif state in (AgentState.AVAILABLE, AgentState.OFFLINE):
            reason = None
        else:
            raise Conflict(f"an agent cannot set themselves {state.value}", agent.state)
        if agent.state == state and agent.reason == reason:
            return agent  # nothing changes (an available agent keeps their place)
        self._set_state(agent, state, reason)
        if state == AgentState.AVAILABLE:
            self.dispatch()
        return agent

    def accept(self, offer_id: str) -> Contact:
        offer = self._pending(offer_id)
        contact = self._contacts[offer.contact_id]
        now = self._clock.now()
        self._close_offer(offer, OfferState.ACCEPTED)
        contact.state = ContactState.CONNECTED
        contact.answered_at = now
        self._contact_changed(contact)
        self._set_state(self._agents[offer.agent_id], AgentState.BUSY, None)
        return contact

    def reject(self, offer_id: str) -> Offer:
        return self._decline(self._pending(offer_id), OfferState.REJECTED, "Rejected")

    def end(self, contact_id: str) -> Contact:
        contact = self.contact(contact_id)
        if contact.state not in (ContactState.CONNECTED, ContactState.ON_HOLD):
            raise Conflict(f"contact is {contact.state.value}", contact.state)
        contact.state = ContactState.AFTER_CONTACT_WORK
        contact.ended_at = self._clock.now()
        self._contact_changed(contact)
        assert contact.agent_id is not None
        self._set_state(self._agents[contact.agent_id], AgentState.AFTER_CONTACT_WORK, None)
        return contact

    def complete(
        self, contact_id: str, disposition: str, *, then: tuple[AgentState, str | None] | None = None
    ) -> Contact:
        """Wrap a contact up; the agent goes `available` (or `then`, e.g. a break) once nothing is in hand."""
        contact = self.contact(contact_id)
        if contact.state != ContactState.AFTER_CONTACT_WORK:
            raise Conflict(f"contact is {contact.state.value}", contact.state)
        dispositions = self._queues[contact.queue_id].dispositions
        if disposition not in dispositions:
            raise Invalid("disposition", f"disposition must be one of {dispositions}", disposition)
        contact.state = ContactState.COMPLETED
        contact.completed_at = self._clock.now()
        contact.disposition = disposition
        self._contact_changed(contact)
        assert contact.agent_id is not None
        agent = self._agents[contact.agent_id]
        if not self.contacts_in_hand(agent.id) and agent.state == AgentState.AFTER_CONTACT_WORK:
            state, reason = then or (AgentState.AVAILABLE, None)
            self._set_state(agent, state, reason)
            self.dispatch()
        return contact

    # --- contacts arriving and leaving ----------------------------------------

    def create_contact(
        self,
        queue_id: str,
        channel: Channel,
        from_address: str,
        subject: str | None = None,
        *,
        entered_queue_at: datetime | None = None,
    ) -> Contact:
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
        )
        self._contacts[contact.id] = contact
        self._contact_changed(contact)
        self.dispatch()
        return contact

    def abandon(self, contact_id: str) -> Contact:
        """The caller gives up while waiting in the queue."""
        contact = self.contact(contact_id)
        if contact.state != ContactState.QUEUED:
            raise Conflict(f"contact is {contact.state.value}", contact.state)
        contact.state = ContactState.ABANDONED
        contact.ended_at = self._clock.now()
        self._contact_changed(contact)
        return contact

    # --- routing --------------------------------------------------------------

    def dispatch(self) -> None:
        """Offer queued contacts to available agents (priority, FIFO; longest idle agent first)."""
        for contact in self.queued_contacts():
            skills = set(self._queues[contact.queue_id].skills)
            eligible = [
                a for a in self._agents.values() if a.state == AgentState.AVAILABLE and skills <= set(a.skills)
            ]
            if eligible:
                agent = min(eligible, key=lambda a: (a.state_since, self._idle_rank.get(a.id, 0)))
                self._make_offer(contact, agent)

    def tick(self) -> None:
        """Expire offers whose time is up (called a few times a second)."""
        now = self._monotonic()
        for offer_id, deadline in list(self._deadlines.items()):
            if deadline <= now and offer_id in self._offers:
                self._decline(self._offers[offer_id], OfferState.EXPIRED, "Offer timed out")

    def _make_offer(self, contact: Contact, agent: Agent) -> None:
        now = self._clock.now()
        offer = OfferRecord(
            id=f"o-{next(self._offer_numbers):06d}",
            agent_id=agent.id,
            contact_id=contact.id,
            state=OfferState.PENDING,
            offered_at=now,
            expires_at=now + timedelta(seconds=self.offer_timeout_s),
        )
        self._offers[offer.id] = offer
        self._deadlines[offer.id] = self._monotonic() + self.offer_timeout_s
        self._store.save_offer(offer)
        contact.state = ContactState.OFFERED
        contact.agent_id = agent.id
        contact.offered_at = now
        self._contact_changed(contact)
        self._publish(agent.id, "offer", OfferEvent(offer=self._offer_out(offer)))
        self._set_state(agent, AgentState.OFFERED, None)

    def _decline(self, offer: OfferRecord, state: OfferState, reason: str) -> Offer:
        """A rejected or expired offer: the contact goes back to its place, the agent goes `missed`."""
        contact = self._contacts[offer.contact_id]
        self._close_offer(offer, state)
        contact.state = ContactState.QUEUED
        contact.offered_at = None
        contact.agent_id = None
        self._contact_changed(contact, also_agent=offer.agent_id)
        closed = self._offer_out(offer)
        self._publish(offer.agent_id, "offer_closed", OfferClosedEvent(offer=closed))
        self._set_state(self._agents[offer.agent_id], AgentState.MISSED, reason)
        self.dispatch()
        return closed

    def _close_offer(self, offer: OfferRecord, state: OfferState) -> None:
        offer.state = state
        self._offers.pop(offer.id, None)
        self._deadlines.pop(offer.id, None)
        self._store.save_offer(offer)

    def _pending(self, offer_id: str) -> OfferRecord:
        offer = self._offer_record(offer_id)
        if offer.state != OfferState.PENDING:
            raise Conflict(f"offer is {offer.state.value}", offer.state)
        return offer

    def _offer_record(self, offer_id: str) -> OfferRecord:
        offer = self._offers.get(offer_id) or self._store.offer(offer_id)
        if offer is None:
            raise NotFound("offer", offer_id)
        return offer

    def _offer_out(self, offer: OfferRecord) -> Offer:
        contact = self._contacts.get(offer.contact_id) or self._store.contact(offer.contact_id)
        assert contact is not None, f"offer {offer.id} has no contact"
        return Offer(
            id=offer.id,
            agent_id=offer.agent_id,
            contact=contact.model_copy(),
            state=offer.state,
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
        )

    # --- state changes and their events ---------------------------------------

    def _set_state(self, agent: Agent, state: AgentState, reason: str | None) -> None:
        agent.state = state
        agent.reason = reason
        agent.state_since = self._clock.now()
        if state == AgentState.AVAILABLE:
            self._idle_rank[agent.id] = next(self._idle_order)
        self._store.save_agent(agent)
        self._publish(agent.id, "agent_state", AgentStateEvent(agent=agent))

    def _contact_changed(self, contact: Contact, *, also_agent: str | None = None) -> None:
        self._store.save_contact(contact)
        agents = {contact.agent_id, also_agent} - {None}
        topics = [SUPERVISOR_TOPIC, *(agent_topic(a) for a in sorted(agents) if a)]
        self._events.publish(topics, "contact", ContactEvent(contact=contact).model_dump(mode="json"))

    def _publish(self, agent_id: str, type_: str, event: AgentStateEvent | OfferEvent | OfferClosedEvent) -> None:
        self._events.publish([SUPERVISOR_TOPIC, agent_topic(agent_id)], type_, event.model_dump(mode="json"))

    # --- statistics -----------------------------------------------------------

    def _midnight(self) -> datetime:
        return self._clock.now().replace(hour=0, minute=0, second=0, microsecond=0)

    def queue_stats(self) -> list[QueueStats]:
        """Per queue, over the contacts that entered it since midnight (UTC, of the server's clock)."""
        return queue_stats(self.queues(), self.agents(), list(self._contacts.values()), self._clock.now())
