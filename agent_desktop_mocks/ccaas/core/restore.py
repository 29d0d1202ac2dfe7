"""The core's memory: set up from seed data, taken up again from what an earlier run stored, and kept small
(finished contacts leave memory after a while; the archive keeps them)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from agent_desktop_mocks.ccaas.core.parts.agents import CHOOSABLE
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.records import OfferRecord
from agent_desktop_mocks.ccaas.core.rules import eligible, normalised
from agent_desktop_mocks.ccaas.core.wire.schemas import (
    IN_HAND,
    TERMINAL,
    Agent,
    AgentState,
    Contact,
    ContactState,
    OfferState,
    Queue,
    last_touched,
)


class Memory(Part):
    def seed(self, queues: Iterable[Queue], agents: Iterable[Agent]) -> None:
        state = self._state
        for queue in queues:
            self._add_queue(queue.model_copy(deep=True))
        for agent in agents:
            agent = normalised(agent.model_copy(deep=True))
            chosen = agent.state if agent.state in CHOOSABLE else AgentState.OFFLINE
            self._add_agent(agent, chosen, agent.reason if chosen == AgentState.NOT_READY else None)
            state.agent_changed(agent.id)
        self._index_members()
        for agent_id in state.agents:
            self._floor.refresh(agent_id, publish=False)
        self._offers.dispatch()

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
        state, floor = self._state, self._floor
        now = state.clock.now()
        for queue in queues:
            self._add_queue(queue, changed=False)
        for agent, chosen, reason in agents:
            self._add_agent(agent, chosen, reason)
        self._index_members()
        for agent in sorted(state.agents.values(), key=lambda a: (a.idle_since or now, a.id)):
            state.idle_seq[agent.id] = next(state.idle_order)
        for contact in contacts:
            state.contacts[contact.id] = contact
            state.by_queue.setdefault(contact.queue_id, {})[contact.id] = contact
            if contact.state == ContactState.QUEUED:
                floor.enqueue(contact)
            elif contact.state in IN_HAND and contact.agent_id in state.hand:
                state.hand[contact.agent_id][contact.id] = contact
                if contact.state == ContactState.AFTER_CONTACT_WORK and contact.acw_deadline:
                    remaining = max(0.0, (contact.acw_deadline - now).total_seconds())
                    state.timers.start("acw", contact.id, state.monotonic() + remaining)
                if contact.consult and contact.consult.state == "ringing":
                    floor.ring_consult(contact, again=True)
                if contact.callback and contact.callback.state == "dialling":  # the line dropped: dial again
                    floor.ring_dial(contact)
        state.contact_numbers = itertools.count(last_contact + 1)
        state.offer_numbers = itertools.count(last_offer + 1)
        for contact_id, agent_ids in declined.items():
            held = state.contacts.get(contact_id)
            if held is None or held.state in TERMINAL:
                state.changes.declined[contact_id] = frozenset()
                continue
            state.declined[contact_id] = set(agent_ids)
            state.timers.start("declined", contact_id, state.due(state.offer_timeout_s))
        for offer in pending_offers:
            held = state.contacts.get(offer.contact_id)
            if held is None or held.state != ContactState.OFFERED or held.agent_id != offer.agent_id:
                offer.state = OfferState.CANCELLED  # cannot happen with a whole transaction log; be safe
                state.changes.offers[offer.id] = offer
                continue
            offer.expires_at = now + state.real(state.offer_timeout_s)
            state.offers[offer.id] = offer
            state.offer_of[offer.agent_id] = offer.id
            state.timers.start("offer", offer.id, state.due(state.offer_timeout_s))
            state.changes.offers[offer.id] = offer
        for contact in state.contacts.values():  # an offered contact whose offer is gone goes back to its place
            if contact.state == ContactState.OFFERED and state.offer_of.get(contact.agent_id or "") is None:
                floor.enqueue(contact)
                state.contact_changed(contact, "queued")
        for agent_id in state.agents:
            floor.refresh(agent_id)
        self._offers.dispatch()

    def forget_finished_before(self, cutoff: datetime) -> list[str]:
        """Finished contacts from before `cutoff` leave memory (they stay in the archive): a long run stays small."""
        state = self._state
        gone = []
        for contact in [c for c in state.contacts.values() if c.state in TERMINAL]:
            if last_touched(contact) < cutoff:
                del state.contacts[contact.id]
                state.by_queue[contact.queue_id].pop(contact.id, None)
                gone.append(contact.id)
        return gone

    def _add_queue(self, queue: Queue, *, changed: bool = True) -> None:
        state = self._state
        state.queues[queue.id] = queue
        state.by_queue.setdefault(queue.id, {})
        state.queued.setdefault(queue.id, set())
        state.serving_slots.setdefault(queue.id, Counter())
        if changed:
            state.changes.queues[queue.id] = queue

    def _add_agent(self, agent: Agent, chosen: AgentState, reason: str | None) -> None:
        state = self._state
        state.agents[agent.id] = agent
        state.chosen[agent.id] = (chosen, reason)
        state.hand[agent.id] = {}
        state.idle_seq.setdefault(agent.id, next(state.idle_order))
        state.eligible[agent.id] = [q.id for q in state.queues.values() if eligible(agent, q)]

    def _index_members(self) -> None:
        """Each queue's agents, from who may take what (once the agents are in: the sets are frozen)."""
        state = self._state
        members: dict[str, set[str]] = {queue_id: set() for queue_id in state.queues}
        for agent_id, queue_ids in state.eligible.items():
            for queue_id in queue_ids:
                members[queue_id].add(agent_id)
        state.queue_agents = {queue_id: frozenset(agent_ids) for queue_id, agent_ids in members.items()}
