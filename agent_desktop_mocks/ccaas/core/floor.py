"""The bookkeeping every command shares: each agent's derived state and routability, each contact's place in the
routing index, holds and wrap-up, and the far end's rings (a callback's dial, a consult leg).

Routing (docs/mock-apis.md, "Routing") is indexed (agent_desktop_mocks/ccaas/core/routing.py), never a scan of every contact
against every agent:
- waiting contacts: one heap per (queue, channel), keyed (-contact priority, entered_queue_at, number); an entry
  is valid while its token matches the contact's current one (lazy deletion: a contact that is offered, moved or
  abandoned just drops its token);
- routable agents: one heap per (queue, channel) the agent is eligible for and has spare capacity in, keyed
  (idle_since, order of becoming idle); same lazy tokens.
This module keeps both in step; offers.py reads their heads.
"""

from __future__ import annotations

from collections import Counter

from agent_desktop_mocks.ccaas.core.queries import Queries
from agent_desktop_mocks.ccaas.core.rules import number, priority_raise, serves
from agent_desktop_mocks.ccaas.core.state import State
from agent_desktop_mocks.ccaas.core.wire.schemas import TALKING, AgentState, Channel, Contact, ContactState


class RoutingFloor:
    """The routing core's floor: each agent's state derived from their hand, and who can be offered what (not the
    supervisor's floor, agent_desktop/staffing/floor.py, which draws the figures)."""

    def __init__(self, state: State, read: Queries) -> None:
        self._state = state
        self._read = read

    def refresh(self, agent_id: str, *, force: bool = False, publish: bool = True) -> None:
        """Derive the agent's state from their hand, re-index their routability, record what changed."""
        state = self._state
        agent = state.agents[agent_id]
        hand = state.hand[agent_id]
        if hand:
            busy = any(c.state in TALKING for c in hand.values())
            derived, reason = (AgentState.BUSY if busy else AgentState.AFTER_CONTACT_WORK), None
        elif agent_id in state.offer_of:
            derived, reason = AgentState.OFFERED, None
        else:
            derived, reason = state.chosen[agent_id]
        now = state.clock.now()
        changed = force
        if derived != agent.state:
            agent.state_since = now
        if (derived, reason) != (agent.state, agent.reason):
            agent.state, agent.reason = derived, reason
            changed = True
        spare = self._read.spare_channels(agent_id)
        if spare and agent.idle_since is None:
            agent.idle_since = now
            state.idle_seq[agent_id] = next(state.idle_order)
            changed = True
        elif not spare and agent.idle_since is not None:
            agent.idle_since = None
            changed = True
        signature = (agent.idle_since, spare)
        if signature != state.indexed.get(agent_id):
            state.indexed[agent_id] = signature
            lanes = [(queue_id, channel) for queue_id in state.eligible[agent_id] for channel in spare]
            since = agent.idle_since.timestamp() if agent.idle_since else 0.0
            state.index.set_agent(agent_id, lanes, since, state.idle_seq[agent_id])
            if spare:
                state.agents_to_route.add(agent_id)
        self._count_serving(agent_id)
        if changed:
            state.agent_changed(agent_id)
            if publish:
                state.agent_announced(agent)

    def _count_serving(self, agent_id: str) -> None:
        """Keep the queues' serving slots (the estimated wait's) in step with the agent: what they add (their
        capacity while they serve, to each queue they may take) is taken off where it was and added anew when it
        changed. Every change of state, capacity or eligibility ends in `refresh`, which calls this."""
        state = self._state
        agent = state.agents[agent_id]
        adds = tuple(agent.capacity.items()) if serves(agent, state.chosen[agent_id][0]) else ()
        counted = (tuple(state.eligible[agent_id]), adds)
        was = state.serving_counted.get(agent_id)
        if counted == was:
            return
        for (queue_ids, channels), sign in ((was or ((), ())), -1), (counted, 1):
            for queue_id in queue_ids:
                slots = state.serving_slots[queue_id]
                for channel, n in channels:
                    slots[channel] += sign * n
        state.serving_counted[agent_id] = counted

    def hand_freed(self, agent_id: str) -> None:
        """A contact or offer left the agent: with nothing left, a requested next state applies."""
        state = self._state
        agent = state.agents[agent_id]
        if not state.hand[agent_id] and agent_id not in state.offer_of and agent.next_state is not None:
            state.chosen[agent_id] = (agent.next_state.state, agent.next_state.reason)
            agent.next_state = None
            self.refresh(agent_id, force=True)
        else:
            self.refresh(agent_id)

    def enqueue(self, contact: Contact) -> None:
        """Queued at its place (entered_queue_at); a callback waiting to be retried is routed only from retry_at."""
        state = self._state
        contact.state = ContactState.QUEUED
        contact.agent_id = None
        contact.offered_at = None
        if contact.id not in state.queued[contact.queue_id]:
            state.queued[contact.queue_id].add(contact.id)
            state.lane_priorities.setdefault((contact.queue_id, contact.channel), Counter())[contact.priority] += 1
        retry_at = contact.callback.retry_at if contact.callback else None
        if retry_at is not None and retry_at > state.clock.now():
            state.index.remove_contact(contact.id)
            delay = (retry_at - state.clock.now()).total_seconds()
            state.timers.start("retry", contact.id, state.monotonic() + delay)
            return
        after_s = state.queues[contact.queue_id].voicemail_after_s
        if after_s is not None and contact.channel == Channel.VOICE and not (contact.callback or contact.voicemail):
            waited = (state.clock.now() - contact.entered_queue_at).total_seconds()
            state.timers.start("voicemail", contact.id, state.due(after_s) - waited)
        key = (-contact.priority, contact.entered_queue_at.timestamp(), number(contact.id))
        state.index.add_contact((contact.queue_id, contact.channel), contact.id, key)
        state.contacts_to_route.append(contact.id)

    def dequeue(self, contact: Contact) -> None:
        state = self._state
        state.index.remove_contact(contact.id)
        if contact.id in state.queued[contact.queue_id]:
            state.queued[contact.queue_id].discard(contact.id)
            state.lane_priorities[(contact.queue_id, contact.channel)][contact.priority] -= 1

    def set_queue(self, contact: Contact, queue_id: str) -> None:
        """The contact changes queue (not while queued): the new queue's priority rules replace the old one's."""
        state = self._state
        old, new = state.queues[contact.queue_id], state.queues[queue_id]
        contact.priority += priority_raise(new, contact.attached) - priority_raise(old, contact.attached)
        state.by_queue[contact.queue_id].pop(contact.id, None)
        contact.queue_id = queue_id
        contact.queue_name = state.queues[queue_id].name
        state.by_queue[queue_id][contact.id] = contact

    def unhold(self, contact: Contact) -> None:
        if contact.held_at is not None:
            contact.hold_s = round(contact.hold_s + (self._state.clock.now() - contact.held_at).total_seconds(), 3)
            contact.held_at = None

    def to_acw(self, contact: Contact) -> None:
        state = self._state
        self.unhold(contact)
        now = state.clock.now()
        contact.state = ContactState.AFTER_CONTACT_WORK
        contact.ended_at = now
        queue = state.queues[contact.queue_id]
        rule = queue.wrap_up.get(contact.channel)
        # Only a time-boxed wrap-up ends by itself: optional and discretionary ones wait for the agent.
        timeout = (
            None
            if rule is not None and not rule.mode.startswith("time_boxed")
            else ((rule.timeout_s if rule is not None else None) or queue.acw_timeout_s)
        )
        if timeout is not None:
            contact.acw_deadline = now + state.real(float(timeout))
            state.timers.start("acw", contact.id, state.due(float(timeout)))

    def ring_dial(self, contact: Contact) -> None:
        """The customer's phone rings for a callback's dial (again, after a restart: the line dropped)."""
        state = self._state
        state.timers.start("dial", contact.id, state.due(state.far_end.dial_rings_s(contact)))

    def ring_consult(self, contact: Contact, *, again: bool = False) -> None:
        """The consult leg rings; it is answered when the far end picks it up (if it ever does)."""
        state = self._state
        pickup_s = state.far_end.consult_pickup_s(contact, again=again)
        if pickup_s is not None:
            state.timers.start("consult", contact.id, state.due(pickup_s))

    def drop_consult(self, contact: Contact) -> None:
        contact.consult = None
        self._state.timers.cancel("consult", contact.id)
