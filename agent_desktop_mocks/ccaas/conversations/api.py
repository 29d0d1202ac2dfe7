"""The agent's and supervisor's side of conversations: who may read or write, and the API's answers.

Every request is one transaction of the service (service.py), refused before it writes anything:
403 for someone else's contact, 404 for a voice contact or an unknown one, 409 with the contact's
state when it is not connected, 422 naming a limit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.conversations.limits import (
    EMAIL_SUBJECT_MAX_CHARS,
    MAX_CHARS,
    LimitError,
    check_message,
)
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import (
    DIGITAL,
    ChannelLimits,
    Conversation,
    ConversationSettings,
    ReadEvent,
    TranscriptItem,
    TranscriptPage,
    TypingEvent,
)
from agent_desktop_mocks.ccaas.conversations.service import DEFAULT_TIMEOUTS, ConversationService, item_number
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, ContactState
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC, Conflict, Invalid, NotFound
from agent_desktop_mocks.common.http.auth import Principal

WAIT_LIMIT = timedelta(days=30)  # a snooze or a scheduled reply is at most this far ahead


class ConversationApi:
    def __init__(self, service: ConversationService) -> None:
        self.service = service
        self.store = service.store
        # Which queues a supervisor may read (agent_desktop_mocks/ccaas/api/scope.py; the app sets it): every one until then.
        self.check_queue: Callable[[Principal, str | None, str], None] = lambda who, queue_id, what: None

    def conversation(self, contact_id: str, who: Principal) -> Conversation:
        return self._out(self._readable(contact_id, who))

    def in_hand(self, agent_id: str) -> list[Conversation]:
        """The conversations of the agent's contacts in hand (connected, on hold, after-contact work)."""
        found = [
            self.store.get(c.id) for c in self.service.engine.read.contacts_in_hand(agent_id) if c.channel in DIGITAL
        ]
        return [self._out(record) for record in found if record is not None]

    def page(self, contact_id: str, who: Principal, before: str | None, limit: int) -> TranscriptPage:
        record = self._readable(contact_id, who)
        items, more = self.store.page(record.contact_id, item_number(before) if before else None, limit)
        return TranscriptPage(items=items, has_more=more)

    def send(
        self, contact_id: str, who: Principal, text: str, subject: str | None, idempotency_key: str | None
    ) -> tuple[TranscriptItem, bool]:
        """The agent's message (and whether it is a replay of an earlier answer for the same key)."""
        digest = hashlib.sha256(json.dumps([contact_id, text, subject]).encode()).hexdigest()
        self._readable(contact_id, who)
        if idempotency_key is not None:
            previous = self.store.key(idempotency_key)
            if previous is not None:
                if (previous[0], previous[1]) != (contact_id, digest):
                    raise Invalid(
                        "Idempotency-Key", "this Idempotency-Key was already used for another message", idempotency_key
                    )
                item = self.store.item(previous[2])
                assert item is not None
                return item, True
        record = self._writable(contact_id, who)
        try:
            check_message(record.channel, text, subject)
        except LimitError as error:
            raise Invalid(
                error.field, str(error), {"characters": len(text if error.field == "text" else subject or "")}
            ) from error
        with self.service.transaction():
            item = self.service.agent_says(record, who.subject, text, subject)
            if idempotency_key is not None:
                self.store.save_key(idempotency_key, contact_id, digest, item_number(item.id))
        return item, False

    def customer_sends(self, contact_id: str, who: Principal, text: str) -> TranscriptItem:
        """The customer's side, as a web chat widget or an SMS or email gateway posts it (a supervisor's
        token stands for it: demos and tests script a customer with it)."""
        if who.role not in ("supervisor", "service"):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, "only the contact center's own side may speak as the customer"
            )
        contact = self.service.engine.read.contact(contact_id)
        self.check_queue(who, contact.queue_id, f"contact {contact_id}")
        record = self.store.get(contact_id)
        if contact.channel not in DIGITAL or record is None:
            raise NotFound("conversation of contact", contact_id)
        if record.state != "active":
            raise Conflict("the conversation has ended", "closed")
        try:
            check_message(record.channel, text, None)
        except LimitError as error:
            raise Invalid(error.field, str(error), {"characters": len(text)}) from error
        with self.service.transaction():
            return self.service.customer_says(record, text)

    # --- waiting on the agent's say: snoozed, a reply scheduled (core/waits.py) ---------------

    def snooze(self, contact_id: str, who: Principal, until: datetime, wake_on_acknowledgement: bool) -> Conversation:
        """Snoozed until `until` (a snooze again moves it): only its agent, while it is connected."""
        record = self._writable(contact_id, who)
        self._ahead("until", until)
        with self.service.transaction():
            self.service.apply(self.service.core.snooze(record, until, wake_on_acknowledgement))
        self.service.on_waits(record)
        return self._out(record)

    def wake(self, contact_id: str, who: Principal) -> Conversation:
        """Awake now (its agent's say); 409 if it is not snoozed."""
        record = self._writable(contact_id, who)
        if record.snoozed_until is None:
            raise Conflict("the conversation is not snoozed", "awake")
        with self.service.transaction():
            self.service.apply(self.service.core.wake(record, "agent"))
        return self._out(record)

    def schedule(self, contact_id: str, who: Principal, text: str, send_at: datetime) -> Conversation:
        """A reply to send at `send_at` (one at a time: a new one replaces it), within the channel's limits."""
        record = self._writable(contact_id, who)
        self._ahead("send_at", send_at)
        try:
            check_message(record.channel, text, None)
        except LimitError as error:
            raise Invalid(error.field, str(error), {"characters": len(text)}) from error
        with self.service.transaction():
            self.service.apply(self.service.core.schedule(record, text, send_at))
        self.service.on_waits(record)
        return self._out(record)

    def cancel_scheduled(self, contact_id: str, who: Principal) -> Conversation:
        """The scheduled reply taken back (its text told in the event); 409 if none is scheduled."""
        record = self._readable(contact_id, who)
        if who.role != "agent":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the agent who holds the contact can cancel its reply")
        if record.scheduled_reply is None:
            raise Conflict("no reply is scheduled", "none_scheduled")
        with self.service.transaction():
            self.service.apply(self.service.core.cancel_scheduled(record))
        return self._out(record)

    def _ahead(self, field: str, at: datetime) -> None:
        """`at` must be in the future and at most `WAIT_LIMIT` ahead (422 naming the field)."""
        now = self.service.clock.now()
        if at <= now:
            raise Invalid(field, f"{field} is in the past (now is {now.isoformat()})", at.isoformat())
        if at > now + WAIT_LIMIT:
            raise Invalid(field, f"{field} is more than {WAIT_LIMIT.days} days ahead", at.isoformat())

    def typing(self, contact_id: str, who: Principal, typing: bool) -> None:
        """The agent's typing, for those watching: the supervisor (the simulated customer does not care).
        Not echoed to the typist's own stream, as Twilio Conversations does not; their message ends it."""
        record = self._writable(contact_id, who)
        event = TypingEvent(
            contact_id=contact_id, role="agent", display_name=record.agent_name or who.subject, typing=typing
        )
        with self.service.transaction():
            topics = [SUPERVISOR_TOPIC, *self.service.watchers(contact_id)]
            self.service.events.publish(topics, event.type, event.model_dump(mode="json"))

    def mark_read(self, contact_id: str, who: Principal, up_to_item_id: str) -> Conversation:
        """The agent's read marker moves; its `read` event goes to those watching (a monitoring supervisor), not
        back to the agent, who has the marker in the answer (as their typing is not sent back to them)."""
        record = self._readable(contact_id, who)
        if who.role != "agent":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the agent who holds the contact has a read marker")
        item = self.store.item(item_number(up_to_item_id))
        if item is None or item.contact_id != contact_id:
            raise Invalid("up_to_item_id", f"not an item of contact {contact_id}'s transcript", up_to_item_id)
        event = ReadEvent(contact_id=contact_id, role="agent", up_to_item_id=up_to_item_id, at=self.service.clock.now())
        with self.service.transaction():
            record.agent_last_read = item_number(up_to_item_id)
            self.service.events.publish(self.service.watchers(contact_id), event.type, event.model_dump(mode="json"))
            self.store.save(record)
        return self._out(record)

    def timeouts(self, queue_id: str) -> ConversationSettings:
        self.service.engine.read.queue(queue_id)
        stored = self.store.settings(queue_id) or {}
        merged = {**DEFAULT_TIMEOUTS, **stored}
        return ConversationSettings(queue_id=queue_id, inactivity_timeout_s={Channel(k): v for k, v in merged.items()})

    def set_timeouts(self, queue_id: str, changes: dict[str, int | None]) -> ConversationSettings:
        self.service.engine.read.queue(queue_id)
        with self.service.transaction():
            self.store.save_settings(queue_id, {**(self.store.settings(queue_id) or {}), **changes})
        return self.timeouts(queue_id)

    def _readable(self, contact_id: str, who: Principal) -> ConversationRecord:
        contact = self.service.engine.read.contact(contact_id)
        record = self.store.get(contact_id)
        if record is None:
            raise NotFound("conversation of contact", contact_id)
        if who.role != "supervisor" and (who.role != "agent" or contact.agent_id != who.subject):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not your contact")
        self.check_queue(who, contact.queue_id, f"contact {contact_id}")
        return record

    def _writable(self, contact_id: str, who: Principal) -> ConversationRecord:
        contact = self.service.engine.read.contact(contact_id)
        if who.role != "agent" or contact.agent_id != who.subject:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the agent who holds the contact can write to it")
        record = self.store.get(contact_id)
        if contact.channel not in DIGITAL:
            raise NotFound("conversation of contact", contact_id)
        if contact.state != ContactState.CONNECTED:
            raise Conflict(f"contact is {contact.state.value}", contact.state)
        if record is None or record.state != "active":
            raise Conflict("the conversation has ended", "closed")
        return record

    def _out(self, record: ConversationRecord) -> Conversation:
        last_customer_read = self.store.item(record.customer_last_read) if record.customer_last_read else None
        return Conversation(
            contact_id=record.contact_id,
            channel=record.channel,
            state=record.state,
            customer_name=record.customer_name,
            customer_address=record.customer_address,
            subject=record.subject,
            agent_id=record.agent_id,
            item_count=record.item_count,
            unread=self.store.count_after(record.contact_id, record.agent_last_read, "customer"),
            agent_last_read_item_id=f"m-{record.agent_last_read:06d}" if record.agent_last_read else None,
            customer_last_read_item_id=last_customer_read.id if last_customer_read else None,
            customer_typing=record.customer_typing,
            last_message_at=record.last_message_at,
            last_customer_message_at=record.last_customer_message_at,
            inactivity_timeout_s=self.service.timeout_s(record),
            inactivity_deadline=record.inactivity_deadline,
            awaiting_reply_since=record.awaiting_reply_since,
            snoozed_until=record.snoozed_until,
            wake_on_acknowledgement=record.wake_on_acknowledgement,
            scheduled_reply=record.scheduled_reply,
            ended_at=record.ended_at,
            ended_reason=record.ended_reason,
            limits=ChannelLimits(
                max_chars=MAX_CHARS[record.channel],
                subject_max_chars=EMAIL_SUBJECT_MAX_CHARS if record.channel == Channel.EMAIL else None,
                sms_segment_chars=160 if record.channel == Channel.SMS else None,
            ),
        )

    def note_transfer(self, contact_id: str, who: Principal, note: str | None) -> None:
        """Remember the note of a transfer about to be made (the engine's `contact` event records it)."""
        record = self.service.active(contact_id)
        if record is not None:
            record.transfer_note = (who.subject, note)
            self.store.save(record)
