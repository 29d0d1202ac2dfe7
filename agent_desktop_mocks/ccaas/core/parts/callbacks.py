"""Callbacks: a waiting voice caller hangs up and keeps their place; the agent who accepts it dials them, and the
far end answers or not (retried after the queue's `callback_retry_s`, failed after its maximum attempts). An
agent's own scheduled callback (`owned_due`) is made a contact of the same kind when it falls due."""

from __future__ import annotations

from datetime import datetime

from agent_desktop_mocks.ccaas.core.errors import Conflict
from agent_desktop_mocks.ccaas.core.parts.part import Part
from agent_desktop_mocks.ccaas.core.wire.routed_work import Callback
from agent_desktop_mocks.ccaas.core.wire.schemas import TALKING, Channel, Contact, ContactState

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
        if contact.voicemail is not None:
            raise Conflict("this caller left a message: it is offered as it is", contact.state)
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

    def owned_due(
        self, queue_id: str, number: str, reason: str | None, owner: str, requested_at: datetime, *, to_queue: bool
    ) -> Contact | None:
        """An agent's scheduled callback fell due: a voice contact to dial, offered to its owner when they
        can take one now, or (`to_queue`: the owner's time ran out) queued for anyone. None: the owner cannot take it
        yet and nothing was made. A declined or missed offer sends it to its queue, as any offer does."""
        state = self._state
        if not to_queue and Channel.VOICE not in self._read.spare_channels(owner):
            return None
        queue = state.queues[queue_id]
        now = state.clock.now()
        contact = Contact(
            id=f"c-{next(state.contact_numbers):06d}",
            channel=Channel.VOICE,
            queue_id=queue.id,
            queue_name=queue.name,
            from_address=number,
            subject=reason,
            state=ContactState.QUEUED,
            entered_queue_at=now,
            direction="outbound",
            callback=Callback(
                number=number, reason=reason, requested_at=requested_at, max_attempts=queue.callback_max_attempts
            ),
        )
        state.contacts[contact.id] = contact
        state.by_queue[queue.id][contact.id] = contact
        self._floor.enqueue(contact)  # it arrives as any contact does (the figures count it), then is offered
        state.contact_changed(contact, "queued")
        if not to_queue:
            self._offers.make_offer(contact, owner)
        return contact
