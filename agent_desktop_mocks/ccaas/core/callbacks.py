"""Callbacks: a waiting voice caller hangs up and keeps their place; the agent who accepts it dials them, and the
far end answers or not (retried after the queue's `callback_retry_s`, failed after its maximum attempts)."""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.errors import Conflict
from agent_desktop_mocks.ccaas.core.part import Part
from agent_desktop_mocks.ccaas.core.schemas import TALKING, Callback, Channel, Contact, ContactState

CALLBACK_FAILED_DISPOSITION = "Callback: no answer"


class Callbacks(Part):
    def request_callback(self, contact_id: str, number: str | None = None, reason: str | None = None) -> Contact:
        """A waiting voice caller asks to be called back: they hang up and keep their place in the queue."""
        state = self._state
        contact = self._read.open_contact(contact_id, "callback")
        queue = state.queues[contact.queue_id]
        if contact.channel != Channel.VOICE:
            raise Conflict(f"a callback is for voice callers, not {contact.channel.value}", contact.state)
        if contact.callback is not None:
            raise Conflict(f"a callback is already {contact.callback.state}", contact.state)
        if queue.callback_offer_after_s is None:
            raise Conflict(f"queue {queue.id} offers no callbacks", contact.state)
        now = state.clock.now()
        waited = (now - contact.entered_queue_at).total_seconds() * state.time_scale  # in the mock's seconds
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
        state.contact_changed(contact, "callback")
        return contact

    def dialled(self, contact_id: str) -> None:
        """The customer's phone rang: they answer (as the far end says) or a retry is scheduled, or it fails."""
        state = self._state
        contact = state.contacts.get(contact_id)
        callback = contact.callback if contact else None
        if contact is None or callback is None or callback.state != "dialling" or contact.state not in TALKING:
            return
        now = state.clock.now()
        if state.far_end.dial_answered(contact):
            callback.state = "answered"
            if contact.answered_at is None:
                contact.answered_at = now
            state.contact_changed(contact, "connected")
            return
        agent_id = contact.agent_id
        assert agent_id is not None
        state.hand[agent_id].pop(contact.id, None)
        if callback.attempts >= callback.max_attempts:
            callback.state = "failed"
            contact.state = ContactState.COMPLETED
            contact.ended_at = contact.completed_at = now
            contact.disposition = CALLBACK_FAILED_DISPOSITION
        else:
            callback.state = "no_answer"
            callback.retry_at = now + state.real(state.queues[contact.queue_id].callback_retry_s)
            self._floor.enqueue(contact)
        state.contact_changed(contact, "callback", from_agent=agent_id)
        self._floor.hand_freed(agent_id)

    def retry_due(self, contact_id: str) -> None:
        contact = self._state.contacts.get(contact_id)
        if contact is None or contact.state != ContactState.QUEUED or contact.callback is None:
            return
        contact.callback.retry_at = None
        self._floor.enqueue(contact)
        self._state.contact_changed(contact, "queued")
