"""What the core answers without changing anything: records, pending offers, who may take what, routing heads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

from agent_desktop_mocks.ccaas.core.errors import NotFound, NotHeld
from agent_desktop_mocks.ccaas.core.records import OfferRecord
from agent_desktop_mocks.ccaas.core.rules import free_channels, number, serves
from agent_desktop_mocks.ccaas.core.state import State
from agent_desktop_mocks.ccaas.core.transitions import require_contact, require_offer
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    WAITING,
    Agent,
    AgentActivity,
    AgentState,
    Channel,
    Contact,
    Offer,
    Queue,
)


class Queries:
    def __init__(self, state: State) -> None:
        self._state = state

    def now(self) -> datetime:
        return self._state.clock.now()

    def midnight(self) -> datetime:
        return self._state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)

    def queues(self) -> list[Queue]:
        return sorted(self._state.queues.values(), key=lambda q: (-q.priority, q.id))

    def queue(self, queue_id: str) -> Queue:
        try:
            return self._state.queues[queue_id]
        except KeyError:
            raise NotFound("queue", queue_id) from None

    def agents(self) -> list[Agent]:
        agents = self._state.agents
        return [agents[key] for key in sorted(agents)]

    def agent(self, agent_id: str) -> Agent:
        try:
            return self._state.agents[agent_id]
        except KeyError:
            raise NotFound("agent", agent_id) from None

    def chosen_state(self, agent_id: str) -> tuple[AgentState, str | None]:
        self.agent(agent_id)
        return self._state.chosen[agent_id]

    def contact(self, contact_id: str) -> Contact:
        """A contact; finished ones no longer in memory come from the archive (read-only: they are terminal)."""
        contact = self._state.contacts.get(contact_id) or self._state.archive.contact(contact_id)
        if contact is None:
            raise NotFound("contact", contact_id)
        return contact

    def open_contact(self, contact_id: str, action: str) -> Contact:
        """The contact a command acts on, if its state allows the action (transitions.py); from memory only.

        Only finished contacts leave memory and every action is refused on a finished contact, so one not held
        is refused too: `NotHeld`, which the shell answers from the archive (404, or 409 naming its state)."""
        contact = self._state.contacts.get(contact_id)
        if contact is None:
            raise NotHeld("contact", contact_id, action)
        require_contact(contact, action)
        return contact

    def contacts(self) -> list[Contact]:
        """Every contact the core holds (open ones, and finished ones of about the last hour)."""
        return list(self._state.contacts.values())

    def offer(self, offer_id: str) -> Offer:
        offer = self.offer_record(offer_id)
        return self.offer_out(offer, self.contact(offer.contact_id).model_copy(deep=True))

    def pending_offers(self, agent_id: str) -> list[Offer]:
        self.agent(agent_id)
        offer_id = self._state.offer_of.get(agent_id)
        return [self.offer_out(self._state.offers[offer_id])] if offer_id else []

    def all_pending_offers(self) -> list[Offer]:
        """Every pending offer, by id."""
        offers = self._state.offers
        return [self.offer_out(offers[key]) for key in sorted(offers)]

    def contacts_in_hand(self, agent_id: str) -> list[Contact]:
        self.agent(agent_id)
        return sorted(self._state.hand[agent_id].values(), key=lambda c: c.id)

    def queued_contacts(self) -> list[Contact]:
        """Contacts waiting for an agent, in routing order (for tests and the simulator; O(n log n))."""
        state = self._state
        queued = [state.contacts[cid] for ids in state.queued.values() for cid in ids]
        return sorted(queued, key=self._routing_key)

    def waiting(self, queue_id: str) -> list[Contact]:
        """Contacts queued or offered in a queue, longest waiting first."""
        self.queue(queue_id)
        mine = [c for c in self._state.by_queue[queue_id].values() if c.state in WAITING]
        return sorted(mine, key=lambda c: (c.entered_queue_at, c.id))

    def agents_overview(self) -> list[AgentActivity]:
        return [AgentActivity(agent=a, contacts=self.contacts_in_hand(a.id)) for a in self.agents()]

    def contacts_today(self, agent_id: str) -> list[Contact]:
        """Every contact the agent was connected to since midnight, newest first."""
        midnight = self.midnight()
        return self.contacts_handled_since(agent_id, midnight - timedelta(days=1), midnight)

    def contacts_handled_since(self, agent_id: str, entered_since: datetime, since: datetime) -> list[Contact]:
        """The contacts the agent was connected to that entered the queue since `entered_since` and were answered
        (or entered) since `since`, newest first."""
        self.agent(agent_id)
        # The store has every contact (finished ones leave memory); what is held is the same or newer.
        archived = self._state.archive.contacts_handled_by(agent_id, since=entered_since)
        mine = {c.id: c for c in archived}
        mine.update((c.id, c) for c in self._state.contacts.values() if agent_id in c.handled_by)
        kept = [c for c in mine.values() if (c.answered_at or c.entered_queue_at) >= since]
        return sorted(kept, key=lambda c: (c.answered_at or c.entered_queue_at, c.id), reverse=True)

    def eligible_agents(self, queue_id: str) -> list[str]:
        """Agents who have the queue's skills at its minimum proficiencies, by id."""
        self.queue(queue_id)
        return sorted(self._state.queue_agents[queue_id])

    def queue_members(self) -> Mapping[str, frozenset[str]]:
        """Queue id → the agents who may take it, without a copy: a set is replaced when it changes, never changed
        in place, so a reader may hold one and tell by identity whether it is still current."""
        return MappingProxyType(self._state.queue_agents)

    def spare_channels(self, agent_id: str) -> tuple[Channel, ...]:
        """Channels the agent may be offered a contact in now (empty: not routable).

        Cross-channel rule: voice is exclusive — an agent with a voice contact in hand gets
        no other offer, and gets a voice offer only with nothing in hand. Chat, email and
        SMS combine freely, each up to its capacity. One offer at a time per agent.
        """
        state = self._state
        if state.chosen[agent_id][0] != AgentState.AVAILABLE or agent_id in state.offer_of:
            return ()
        agent = state.agents[agent_id]
        if agent.next_state is not None and agent.next_state.state != AgentState.AVAILABLE:
            return ()
        return free_channels(agent, state.hand[agent_id].values())

    def kept_from(self, contact_id: str) -> frozenset[str]:
        """The agents this contact is not offered to now: the one who blind-transferred it to a queue, and
        those who rejected or missed its offer (for one offer timeout: other agents are tried first).

        The transfer is derived from the contact (its last hop is a queue; its last handler is that agent),
        so it survives a restart and ends when someone else answers it.
        """
        contact = self._state.contacts[contact_id]
        kept = set(self._state.declined.get(contact_id, ()))
        if contact.transfer_path and contact.transfer_path[-1].startswith("queue:") and contact.handled_by:
            kept.add(contact.handled_by[-1])
        return frozenset(kept)

    def is_kept_from(self, contact_id: str, agent_id: str) -> bool:
        """Whether `kept_from(contact_id)` holds the agent, without building it (routing asks for every heap head)."""
        state = self._state
        if agent_id in state.declined.get(contact_id, ()):
            return True
        contact = state.contacts[contact_id]
        path = contact.transfer_path
        return bool(
            path and contact.handled_by and path[-1].startswith("queue:") and contact.handled_by[-1] == agent_id
        )

    def best_contact_for(self, agent_id: str, *, if_free: bool = False) -> str | None:
        """The contact routing would offer this agent now (`if_free`: were they available with nothing in hand).

        One heap head per (eligible queue, spare channel); nothing changes.
        """
        self.agent(agent_id)
        state = self._state
        channels = free_channels(state.agents[agent_id], ()) if if_free else state.indexed.get(agent_id, (None, ()))[1]
        best: tuple[tuple[int, tuple[int, float, int]], str] | None = None
        head_contact, queues = state.index.head_contact, state.queues

        def kept(contact_id: str) -> bool:
            return self.is_kept_from(contact_id, agent_id)

        # Highest queue priority first: once a queue has a head, a queue of lower priority cannot beat it
        for queue_key, queue_id in sorted((-queues[q].priority, q) for q in state.eligible[agent_id]):
            if best is not None and queue_key > best[0][0]:
                break
            for channel in channels:
                head = head_contact((queue_id, channel), kept)
                if head is not None:
                    key = (queue_key, head[0])  # compared as (queue key, *contact key) would be
                    if best is None or key < best[0]:
                        best = (key, head[1])
        return best[1] if best else None

    def queued_ahead(self, queue_id: str, channel: Channel, priority: int) -> int:
        """Contacts queued in (queue, channel) that a new one of this priority would wait behind."""
        counts = self._state.lane_priorities.get((queue_id, channel))
        return sum(n for p, n in counts.items() if p >= priority) if counts else 0

    def serving_slots(self, queue_id: str, channel: Channel, *, from_scratch: bool = False) -> int:
        """Slots for the channel among the queue's agents signed in and not on a break.

        They are kept as agents change (floor.py); `from_scratch` counts them again over the queue's agents
        (the tests' oracle)."""
        state = self._state
        if not from_scratch:
            return state.serving_slots[queue_id][channel.value]
        agents, chosen = state.agents, state.chosen
        return sum(
            agents[a].capacity.get(channel.value, 0)
            for a in state.queue_agents[queue_id]
            if serves(agents[a], chosen[a][0])
        )

    def agent_free(self, queue_id: str, channel: Channel) -> bool:
        """Whether an agent could take a contact of the queue's channel now."""
        return self._state.index.head_agent((queue_id, channel), ()) is not None

    def next_due(self) -> float | None:
        """When the next timer fires (monotonic seconds), if any."""
        return self._state.timers.next_due()

    def offer_record(self, offer_id: str) -> OfferRecord:
        state = self._state
        offer = state.offers.get(offer_id) or state.changes.offers.get(offer_id) or state.archive.offer(offer_id)
        if offer is None:
            raise NotFound("offer", offer_id)
        return offer

    def pending_offer(self, offer_id: str, action: str) -> OfferRecord:
        """The offer a command acts on (accept, reject), if still pending; from memory only (`open_contact` says
        why: a closed offer is in memory only in the unit of work that closed it)."""
        state = self._state
        offer = state.offers.get(offer_id) or state.changes.offers.get(offer_id)
        if offer is None:
            raise NotHeld("offer", offer_id, action)
        require_offer(offer.state, action)
        return offer

    def offer_out(self, offer: OfferRecord, contact: Contact | None = None) -> Offer:
        """The offer as the API shows it, with a copy of its contact (`contact`: a copy made already, as it is now;
        without, the contact must be held, as every pending offer's is)."""
        if contact is None:
            contact = self._state.contacts[offer.contact_id].model_copy(deep=True)
        return Offer(
            id=offer.id,
            agent_id=offer.agent_id,
            contact=contact,
            state=offer.state,
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
        )

    def _routing_key(self, contact: Contact) -> tuple[int, int, float, int]:
        return (
            -self._state.queues[contact.queue_id].priority,
            -contact.priority,
            contact.entered_queue_at.timestamp(),
            number(contact.id),
        )
