"""Contacts arriving and leaving before an agent has them: a new contact (its queue's priority rules applied),
a caller the IVR served on its own (containment), a caller who gives up."""

from __future__ import annotations

from datetime import datetime

from agent_desktop_mocks.ccaas.core.bot_handoff import BotHandoff
from agent_desktop_mocks.ccaas.core.domain_events import CallerSelfServed
from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.rules import priority_raise
from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData, Channel, Contact, ContactState


class Arrivals(Part):
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
        handoff: BotHandoff | None = None,
    ) -> Contact:
        """A new contact at the back of its queue; the queue's rules may raise its priority from `attached`. It is
        told the wait estimated as it enters (`State.estimate_wait`). `handoff`: what the virtual agent that escalated it
        hands over (a chat from the virtual agent on the chat entry)."""
        state = self._state
        if queue_id not in state.queues:
            raise Invalid("queue_id", f"unknown queue, one of {sorted(state.queues)}", queue_id)
        queue = state.queues[queue_id]
        priority += priority_raise(queue, attached)
        ewt_s = state.estimate_wait(queue_id, channel, priority) if state.estimate_wait else None
        contact = Contact(
            id=f"c-{next(state.contact_numbers):06d}",
            channel=channel,
            queue_id=queue.id,
            queue_name=queue.name,
            from_address=from_address,
            subject=subject,
            state=ContactState.QUEUED,
            entered_queue_at=entered_queue_at or state.clock.now(),
            priority=priority,
            attached=attached.model_copy(deep=True) if attached else None,
            ewt_s=ewt_s,
            handoff=handoff.model_copy(deep=True) if handoff else None,
        )
        state.contacts[contact.id] = contact
        state.by_queue[queue.id][contact.id] = contact
        self._floor.enqueue(contact)
        state.contact_changed(contact, "queued")
        return contact

    def self_served(self, queue_id: str, intent: str | None, menu_path: list[str]) -> CallerSelfServed:
        """A caller the IVR's self-service served for this queue: they never reach it (containment)."""
        state = self._state
        self._read.queue(queue_id)
        event = CallerSelfServed(queue_id=queue_id, at=state.clock.now(), intent=intent, menu_path=tuple(menu_path))
        state.changes.self_served.append(event)
        state.events.append(event)
        return event

    def abandon(self, contact_id: str) -> Contact:
        """The caller gives up while queued or being offered (the offer is cancelled, the agent not missed)."""
        state = self._state
        contact = self._read.open_contact(contact_id, "abandon")
        agent_id = contact.agent_id if contact.state == ContactState.OFFERED else None
        offer_id = state.offer_of.get(agent_id) if agent_id else None
        self._floor.dequeue(contact)
        self._offers.forget_declines(contact.id)
        contact.state = ContactState.ABANDONED
        contact.ended_at = state.clock.now()
        contact.agent_id = None
        state.contact_changed(contact, "abandoned", from_agent=agent_id)
        if offer_id:
            self._offers.cancel(state.offers[offer_id], requeue=False)
        return contact
