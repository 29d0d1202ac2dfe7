"""A supervisor's changes to the floor: a queued contact moved, a queue's settings, an agent's capacities and
proficiencies (eligibility and the routing indexes follow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop_mocks.ccaas.core.domain_events import QueueChanged
from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.rules import eligible
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Channel, Contact, PriorityRule, Queue

if TYPE_CHECKING:
    from agent_desktop_mocks.ccaas.core.contact_policy import AutoAccept, ResponseTarget, WrapUpRule


class SupervisorChanges(Part):
    def move(self, contact_id: str, queue_id: str) -> Contact:
        contact = self._read.open_contact(contact_id, "move")
        if queue_id not in self._state.queues:
            raise Invalid("queue_id", f"unknown queue, one of {sorted(self._state.queues)}", queue_id)
        self._floor.dequeue(contact)
        self._floor.set_queue(contact, queue_id)
        self._floor.enqueue(contact)
        self._state.contact_changed(contact, "moved")
        return contact

    def update_queue(
        self,
        queue_id: str,
        *,
        priority: int | None = None,
        acw_timeout_s: int | None = None,
        priority_rules: list[PriorityRule] | None = None,
        callbacks: dict[str, int] | None = None,
        wrap_up: dict[Channel, WrapUpRule] | None = None,
        auto_accept: dict[Channel, AutoAccept | None] | None = None,
        response_targets: dict[Channel, ResponseTarget] | None = None,
    ) -> Queue:
        """A new routing priority (applies to the next decision), ACW timeout (to contacts entering ACW),
        priority rules (to contacts entering the queue) or callback settings (`callback_offer_after_s`,
        `callback_retry_s`, `callback_max_attempts`: to callbacks requested from then on; `voicemail_after_s`,
        `voicemail_max_s`: to callers queued and messages left from then on), auto-accept per channel
        (None for a channel stops it: to the next offers), response targets per channel (the SLA clocks: to every
        reply awaited, from now on)."""
        queue = self._read.queue(queue_id)
        for name, value in (callbacks or {}).items():
            setattr(queue, name, value)
        if priority_rules is not None:
            queue.priority_rules = [rule.model_copy() for rule in priority_rules]
        if priority is not None:
            queue.priority = priority
        if acw_timeout_s is not None:
            queue.acw_timeout_s = acw_timeout_s
        if wrap_up:
            queue.wrap_up = {**queue.wrap_up, **{channel: rule.model_copy() for channel, rule in wrap_up.items()}}
        if response_targets:
            changed = {channel: target.model_copy() for channel, target in response_targets.items()}
            queue.response_targets = {**queue.response_targets, **changed}
        if auto_accept:
            kept = {**queue.auto_accept, **auto_accept}
            queue.auto_accept = {channel: rule.model_copy() for channel, rule in kept.items() if rule is not None}
        self._state.changes.queues[queue.id] = queue
        self._state.events.append(QueueChanged(queue_id=queue.id))
        return queue

    def update_agent(
        self, agent_id: str, *, capacity: dict[str, int] | None = None, proficiency: dict[str, int] | None = None
    ) -> Agent:
        """New capacities or proficiencies (a supervisor's settings): eligibility and the indexes follow. A cut
        applies to what routing offers next: contacts in hand stay; an offer still ringing on a channel now
        over capacity goes back to its queue (as when the agent changes state)."""
        state = self._state
        agent = self._read.agent(agent_id)
        if capacity:
            agent.capacity.update(capacity)
            offer_id = state.offer_of.get(agent_id)
            if offer_id is not None:
                channel = state.contacts[state.offers[offer_id].contact_id].channel
                held = sum(1 for c in state.hand[agent_id].values() if c.channel == channel)
                if held + 1 > agent.capacity.get(channel.value, 0):
                    self._offers.cancel(state.offers[offer_id], requeue=True)
        if proficiency:
            for skill, level in proficiency.items():
                if level:
                    agent.proficiency[skill] = level
                else:
                    agent.proficiency.pop(skill, None)
            agent.skills = [s for s in agent.skills if s in agent.proficiency]
            agent.skills += [s for s in agent.proficiency if s not in agent.skills]
        was, now = set(state.eligible[agent_id]), [q.id for q in state.queues.values() if eligible(agent, q)]
        state.eligible[agent_id] = now
        for queue_id in was.symmetric_difference(now):  # a new set for each queue that changed (queries.py says why)
            state.queue_agents[queue_id] = state.queue_agents[queue_id].symmetric_difference((agent_id,))
        state.indexed.pop(agent_id, None)  # index them again under their new queues and channels
        self._floor.refresh(agent_id, force=True)
        return agent
