"""Routing and offers: what became routable is offered, and an offer is rejected, expires or is cancelled.

Agents are served first, so a freed agent picks the best waiting contact rather than the newest: it takes the
best head among its queues' heaps (queue priority, then contact priority, then first in); a queued contact goes
to the head of its (queue, channel) idle heap. A declined contact is kept from those who declined it for one
offer timeout (other agents are tried first).
"""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.domain_events import ContactKind, OfferClosed, OfferMade
from agent_desktop_mocks.ccaas.core.floor import RoutingFloor
from agent_desktop_mocks.ccaas.core.queries import Queries
from agent_desktop_mocks.ccaas.core.records import OfferRecord
from agent_desktop_mocks.ccaas.core.state import State
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Contact, ContactState, Offer, OfferState


class Offers:
    def __init__(self, state: State, read: Queries, floor: RoutingFloor) -> None:
        self._state = state
        self._read = read
        self._floor = floor

    def dispatch(self) -> None:
        """Offer what became routable: freed agents take the best waiting contact, then new contacts find agents."""
        state, read = self._state, self._read
        while state.agents_to_route or state.contacts_to_route:
            agents = list(state.agents_to_route)
            if len(agents) > 1:  # one, most often: the agent the command freed
                now = state.clock.now()
                agents.sort(key=lambda a: (state.agents[a].idle_since or now, state.idle_seq[a]))
            state.agents_to_route.clear()
            for agent_id in agents:
                if not read.spare_channels(agent_id):
                    continue
                contact_id = read.best_contact_for(agent_id)
                if contact_id is not None:
                    self.make_offer(state.contacts[contact_id], agent_id)
            contacts, state.contacts_to_route = state.contacts_to_route, []
            for contact_id in contacts:
                contact = state.contacts[contact_id]
                if contact.state != ContactState.QUEUED:
                    continue
                head = state.index.head_agent((contact.queue_id, contact.channel), read.kept_from(contact_id))
                if head is not None:
                    self.make_offer(contact, head)

    def make_offer(
        self, contact: Contact, agent_id: str, *, from_agent: str | None = None, kind: ContactKind = "offered"
    ) -> None:
        state = self._state
        now = state.clock.now()
        offer = OfferRecord(
            id=f"o-{next(state.offer_numbers):06d}",
            agent_id=agent_id,
            contact_id=contact.id,
            state=OfferState.PENDING,
            offered_at=now,
            expires_at=now + state.real(state.offer_timeout_s),
        )
        state.offers[offer.id] = offer
        state.offer_of[agent_id] = offer.id
        state.timers.start("offer", offer.id, state.due(state.offer_timeout_s))
        state.changes.offers[offer.id] = offer
        self._floor.dequeue(contact)
        contact.state = ContactState.OFFERED
        contact.agent_id = agent_id
        contact.offered_at = now
        if contact.voicemail is not None:
            contact.voicemail.attempts += 1
        copy = state.contact_changed(contact, kind, from_agent=from_agent)
        state.events.append(OfferMade(offer=self._read.offer_out(offer, copy)))  # the same copy: nothing changed
        self._floor.refresh(agent_id)

    def reject(self, offer_id: str) -> Offer:
        return self.decline(self._read.pending_offer(offer_id, "reject"), OfferState.REJECTED, "Rejected")

    def expire(self, offer_id: str) -> None:
        """The offer's timer fired: if still pending, the agent missed it."""
        offer = self._state.offers.get(offer_id)
        if offer is not None:
            self.decline(offer, OfferState.EXPIRED, "Offer timed out")

    def decline(self, offer: OfferRecord, outcome: OfferState, reason: str) -> Offer:
        """A rejected or expired offer: the contact goes back to its place, the agent goes `missed`."""
        state = self._state
        contact = state.contacts[offer.contact_id]
        agent = state.agents[offer.agent_id]
        self.close(offer, outcome)
        # Back in its place, offered to the others first (a platform does not hand it straight back).
        declined = state.declined.setdefault(contact.id, set())
        declined.add(offer.agent_id)
        state.changes.declined[contact.id] = frozenset(declined)
        state.timers.start("declined", contact.id, state.due(state.offer_timeout_s))
        self._floor.enqueue(contact)
        copy = state.contact_changed(contact, "queued", from_agent=offer.agent_id)
        closed = self._read.offer_out(offer, copy)
        state.events.append(OfferClosed(offer=closed))
        leaving = agent.next_state is not None and agent.next_state.state != AgentState.AVAILABLE
        if leaving and not state.hand[agent.id]:
            self._floor.hand_freed(agent.id)  # they asked to leave: they leave rather than go missed
        else:
            state.chosen[agent.id] = (AgentState.MISSED, reason)
            agent.next_state = None
            self._floor.refresh(agent.id, force=True)
        return closed

    def cancel(self, offer: OfferRecord, *, requeue: bool) -> None:
        state = self._state
        contact = state.contacts[offer.contact_id]
        self.close(offer, OfferState.CANCELLED)
        if requeue:
            self._floor.enqueue(contact)
            state.contact_changed(contact, "queued", from_agent=offer.agent_id)
        state.events.append(OfferClosed(offer=self._read.offer_out(offer)))
        self._floor.hand_freed(offer.agent_id)

    def close(self, offer: OfferRecord, outcome: OfferState) -> None:
        state = self._state
        offer.state = outcome
        state.offers.pop(offer.id, None)
        state.timers.cancel("offer", offer.id)
        if state.offer_of.get(offer.agent_id) == offer.id:
            del state.offer_of[offer.agent_id]
        state.changes.offers[offer.id] = offer

    def forget_declines(self, contact_id: str) -> None:
        state = self._state
        if state.declined.pop(contact_id, None) is not None:
            state.changes.declined[contact_id] = frozenset()
        state.timers.cancel("declined", contact_id)

    def declined_over(self, contact_id: str) -> None:
        """Nobody else took it in time: those who declined it may be offered it again."""
        self.forget_declines(contact_id)
        contact = self._state.contacts.get(contact_id)
        if contact is not None and contact.state == ContactState.QUEUED:
            self._state.contacts_to_route.append(contact_id)
