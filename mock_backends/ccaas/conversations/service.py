"""The conversation service: transcripts, and the contact lifecycle as seen by a chat (api.py answers requests).

It follows the engine through its post-commit listener (following.py hands in the contacts of each
committed unit of work): a digital contact arriving opens a conversation with the customer's opening
message; an agent connecting joins it; a transfer records who transferred it and their note, and the
agent leaves; after-contact work, an abandon or a transfer out ends it. The only engine calls it makes
are reads and `end()` (the customer left, or was inactive too long). The simulated customers' timing
lives in timeline.py.

Card data is redacted as it arrives, as a contact center's own PCI redaction does: every message, subject
and quoted thread is masked (`pci_redaction`), and a card number split over one party's messages is masked
in the earlier ones too, in the store and in the event log, and the WAL emptied so no copy stays readable.

Every change is written to SQLite and published on the agent's stream (`agent:{id}`) and the
supervisor's in one transaction of this service (`transaction()`), and pushed once it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from pci_redaction import mask_arriving, mask_pci, starts_in_run

from mock_backends.ccaas.conversations import customer as customers
from mock_backends.ccaas.conversations.intents import IntentTable
from mock_backends.ccaas.conversations.intents import shipped as shipped_intents
from mock_backends.ccaas.conversations.limits import sms_segments
from mock_backends.ccaas.conversations.schemas import (
    DIGITAL,
    ConversationEndedEvent,
    EndReason,
    ItemKind,
    MessageEvent,
    ParticipantEvent,
    Role,
    TranscriptItem,
    TypingEvent,
)
from mock_backends.ccaas.conversations.store import ConversationRecord, ConversationStore
from mock_backends.ccaas.engine import SUPERVISOR_TOPIC, Conflict, Engine, NotFound, agent_topic
from mock_backends.ccaas.schemas import TALKING, TERMINAL, Channel, Contact, ContactState
from mock_backends.common.clock import Clock
from mock_backends.common.event_log import EventLog

DEFAULT_TIMEOUTS: dict[str, int | None] = {"chat": 300, "sms": 1800, "email": None}
SPLIT_REACH = 19  # a card number has at most 19 digits: no more of a party's messages can hold one


def item_number(item_id: str) -> int:
    return int(item_id.split("-", 1)[1])


class ConversationService:
    def __init__(
        self,
        store: ConversationStore,
        events: EventLog,
        engine: Engine,
        clock: Clock,
        *,
        seed: int,
        customers_count: int,
        time_scale: float = 1.0,
        intents: IntentTable | None = None,
    ) -> None:
        """`time_scale`: the mock's seconds per real second; a queue's inactivity timeout passes that much faster.
        `intents`: the simulated customers' scripts (the shipped intents.toml by default)."""
        self.store = store
        self.intents = intents or shipped_intents()
        self.time_scale = time_scale
        self.events = events
        self.engine = engine
        self.clock = clock
        self.seed = seed
        self.customers_count = customers_count
        self.ending: dict[str, EndReason] = {}  # contacts this service is ending, and why
        self._redacted = False  # an earlier message was rewritten: empty the WAL after the commit
        # Told about what the simulated customer should react to (timeline.py sets these).
        self.on_agent_message: Callable[[ConversationRecord, TranscriptItem], None] = lambda r, i: None
        self.on_joined: Callable[[ConversationRecord], None] = lambda r: None
        self.on_customer_message: Callable[[ConversationRecord], None] = lambda r: None
        self.behind = False  # the engine's changes after the cursor are not taken in yet (following.py)
        # The monitoring streams of the supervisors watching a contact (monitoring/service.py sets it).
        self.watchers: Callable[[str], list[str]] = lambda contact_id: []

    # --- the engine's side (following.py hands the engine's changes in) --------------

    def contact_changed(self, contact: Contact) -> None:
        record = self.store.get(contact.id)
        if record is None:
            if contact.state in TERMINAL:
                return  # finished before we knew it
            record = self._open(contact)
        elif record.state == "closed":
            return
        if len(contact.transfer_path) > record.path_len:
            record.path_len = len(contact.transfer_path)
            self._transferred(record, contact.transfer_path[-1])
        if contact.state in TALKING and contact.agent_id and record.agent_id != contact.agent_id:
            if record.agent_id is not None:
                self._left(record)
            self._joined(record, contact.agent_id)
        if record.state == "active" and (
            contact.state == ContactState.AFTER_CONTACT_WORK or contact.state in TERMINAL
        ):
            default: EndReason = "abandoned" if contact.state == ContactState.ABANDONED else "agent_ended"
            self._end(record, self.ending.pop(contact.id, default))
        if record.state == "active":
            self.store.save(record)

    def _open(self, contact: Contact) -> ConversationRecord:
        intent = customers.choose_intent(self.seed, contact.id, contact.queue_id, contact.subject, self.intents)
        caller = customers.known_caller(self.seed, self.customers_count, contact.from_address)
        name = caller.name if caller else None
        arrived = contact.entered_queue_at
        state = customers.new_customer(self.seed, contact.id, intent, caller, contact.from_address, arrived)
        fallback_name = "Web visitor" if contact.channel == Channel.CHAT else contact.from_address
        record = ConversationRecord(
            contact_id=contact.id,
            channel=contact.channel,
            queue_id=contact.queue_id,
            customer_name=name or fallback_name,
            customer_address=contact.from_address,
            subject=contact.subject if contact.channel == Channel.EMAIL else None,
            customer=state,
        )
        if record.channel == Channel.EMAIL and record.subject is None:
            record.subject = intent.subject
        for line in customers.opening(intent, state, contact.channel, record.subject):
            role: Role = "customer" if line.role == "customer" else "agent"
            item = self.add_item(
                record,
                role,
                record.customer_name if role == "customer" else "Support team",
                line.text,
                subject=line.subject,
                quoted=line.quoted,
                at=arrived - timedelta(days=line.days_ago),
            )
            if role == "agent":  # an earlier reply of the email thread, long delivered
                item = item.model_copy(update={"delivered_at": item.created_at})
                self.store.update_item(item_number(item.id), item)
            self.publish(record, MessageEvent(contact_id=record.contact_id, item=item))
        self.store.save(record)
        return record

    def _joined(self, record: ConversationRecord, agent_id: str) -> None:
        name = self._agent_name(agent_id)
        record.agent_id, record.agent_name = agent_id, name
        item = self.add_item(
            record, "agent", name, f"{name} joined the conversation", kind="participant_joined", participant_id=agent_id
        )
        timeout = self.timeout_s(record)
        record.inactivity_deadline = item.created_at + timedelta(seconds=timeout / self.time_scale) if timeout else None
        event = ParticipantEvent(
            type="participant_joined", contact_id=record.contact_id, item=item, inactivity_deadline=record.inactivity_deadline
        )
        self.publish(record, event)
        self.on_joined(record)

    def _left(self, record: ConversationRecord, text: str | None = None) -> None:
        agent_id, name = record.agent_id, record.agent_name or "The agent"
        item = self.add_item(
            record, "agent", name, text or f"{name} left the conversation", kind="participant_left", participant_id=agent_id
        )
        self.publish(record, ParticipantEvent(type="participant_left", contact_id=record.contact_id, item=item))
        record.agent_id = record.agent_name = None
        record.inactivity_deadline = None

    def _transferred(self, record: ConversationRecord, hop: str) -> None:
        kind, _, target = hop.partition(":")
        by = record.agent_name or "The agent"
        note = record.transfer_note[1] if record.transfer_note else None
        record.transfer_note = None
        if kind == "queue":
            where = f"the {self._queue_name(target)} queue"
        elif kind == "agent":
            where = self._agent_name(target)
        else:
            where = target
        text = f"{by} transferred the conversation to {where}" + (f". Note: {note}" if note else "")
        item = self.add_item(record, "system", "System", text, kind="transferred")
        self.publish(record, MessageEvent(contact_id=record.contact_id, item=item))
        if kind == "address":
            self.ending[record.contact_id] = "transferred_out"  # it ends with the contact's after-contact work
            return
        if record.agent_id is not None:
            self._left(record)

    def _end(self, record: ConversationRecord, reason: EndReason) -> None:
        now = self.clock.now()
        text = {
            "agent_ended": f"{record.agent_name or 'The agent'} ended the conversation",
            "customer_left": f"{record.customer_name} left the conversation",
            "customer_inactive": "The conversation ended: no message for "
            f"{_duration(self.timeout_s(record) or 0)}",
            "abandoned": f"{record.customer_name} left before an agent joined",
            "transferred_out": "The conversation left the contact center",
        }[reason]
        item = self.add_item(record, "system", "System", text, kind="conversation_ended")
        record.state = "closed"
        record.ended_at, record.ended_reason = now, reason
        record.inactivity_deadline = None
        record.customer_typing = False
        record.customer.awaiting_reply = False
        self.publish(record, ConversationEndedEvent(contact_id=record.contact_id, reason=reason, item=item))
        self.store.save(record)

    def end_by_customer(self, record: ConversationRecord, reason: EndReason) -> None:
        """The customer left or was inactive: the contact ends (after-contact work for its agent)."""
        with self.transaction():  # ours first: a refused engine request must not take it back with its own
            if reason == "customer_left":
                name = record.customer_name
                item = self.add_item(record, "customer", name, f"{name} left the conversation", kind="participant_left")
                self.publish(record, ParticipantEvent(type="participant_left", contact_id=record.contact_id, item=item))
                self.store.save(record)
        self.ending[record.contact_id] = reason
        try:
            self.engine.end(record.contact_id)  # its `contact` event closes the conversation (contact_changed)
        except (Conflict, NotFound):
            if record.state == "active":
                self._end(record, reason)
        finally:
            if not self.behind:  # else the catch-up closes it, with this reason
                self.ending.pop(record.contact_id, None)
            self.commit()

    def active(self, contact_id: str) -> ConversationRecord | None:
        """The conversation if it is active (read from the store each time: no copy to go stale when an
        engine transition it took part in is rolled back)."""
        record = self.store.get(contact_id)
        return record if record is not None and record.state == "active" else None

    def commit(self) -> None:
        """Commit what this service wrote outside an engine transition (the engine commits its own),
        then push its events: a client never sees an event the log does not hold."""
        self.store.commit()
        self.events.flush()
        if self._redacted:
            self._redacted = False
            self.store.checkpoint_truncate()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A change of this service's own (a request, a timer): committed whole or rolled back whole
        (it keeps no state in memory that a rollback could leave behind)."""
        try:
            yield
        except BaseException:
            self.store.rollback()
            self.events.discard()  # never pushed: they did not happen
            raise
        self.commit()

    # --- transcript -------------------------------------------------------------

    def add_item(
        self,
        record: ConversationRecord,
        role: Role,
        display_name: str,
        text: str,
        *,
        kind: ItemKind = "message",
        participant_id: str | None = None,
        subject: str | None = None,
        quoted: str | None = None,
        at: datetime | None = None,
    ) -> TranscriptItem:
        if kind == "message" and role in ("customer", "agent"):
            text = self._redact(record, role, text)
            subject = mask_pci(subject) if subject else subject
            quoted = mask_pci(quoted) if quoted else quoted
        number = self.store.next_item_number()
        now = at or self.clock.now()
        segments = sms_segments(text) if record.channel == Channel.SMS and kind == "message" else None
        item = TranscriptItem(
            id=f"m-{number:06d}",
            contact_id=record.contact_id,
            index=record.item_count,
            kind=kind,
            role=role,
            participant_id=participant_id,
            display_name=display_name,
            text=text,
            created_at=now,
            subject=subject,
            quoted=quoted,
            segments=segments.count if segments else None,
            encoding=segments.encoding if segments else None,  # type: ignore[arg-type]
        )
        record.item_count += 1
        if kind == "message":
            record.last_message_at = now
            if role == "customer":
                record.last_customer_message_at = now
            if record.agent_id is not None and at is None:
                timeout = self.timeout_s(record)
                record.inactivity_deadline = now + timedelta(seconds=timeout / self.time_scale) if timeout else None
        self.store.add_item(number, item)
        return item

    def _redact(self, record: ConversationRecord, role: Role, text: str) -> str:
        """`text` masked with the party's earlier messages; those a card number now reaches are rewritten."""
        if not starts_in_run(text):  # no number of an earlier message can go on into it: no read of them
            return mask_pci(text)
        earlier = self.store.messages(record.contact_id, role, newest=SPLIT_REACH)
        rewritten, masked = mask_arriving([item.text for _, item in earlier], text)
        for (number, item), now in zip(earlier, rewritten, strict=True):
            if now != item.text:
                redacted = item.model_copy(update={"text": now})
                self.store.update_item(number, redacted)
                self.events.rewrite("message", f'"{item.id}"', lambda data, r=redacted: _with_item(data, r))
                self._redacted = True
        return masked

    def customer_says(self, record: ConversationRecord, text: str) -> TranscriptItem:
        subject = quoted = None
        if record.channel == Channel.EMAIL:
            subject = f"Re: {record.subject}" if record.subject else None
            last = self._last(record, "agent")
            quoted = customers.quote(last.display_name, last.text) if last else None
        if record.customer_typing:
            self.set_customer_typing(record, False)
        item = self.add_item(record, "customer", record.customer_name, text, subject=subject, quoted=quoted)
        event = MessageEvent(contact_id=record.contact_id, item=item, inactivity_deadline=record.inactivity_deadline)
        self.publish(record, event)
        self.store.save(record)
        self.on_customer_message(record)
        return item

    def set_customer_typing(self, record: ConversationRecord, typing: bool) -> None:
        record.customer_typing = typing
        event = TypingEvent(
            contact_id=record.contact_id, role="customer", display_name=record.customer_name, typing=typing
        )
        self.publish(record, event, supervisor=False)

    def _last(self, record: ConversationRecord, role: str) -> TranscriptItem | None:
        return self.store.last_message(record.contact_id, role)

    def publish(self, record: ConversationRecord, event: Any, *, supervisor: bool = True) -> None:
        topics = [*([SUPERVISOR_TOPIC] if supervisor else []), *([agent_topic(record.agent_id)] if record.agent_id else [])]
        topics += self.watchers(record.contact_id)
        if topics:
            self.events.publish(topics, event.type, event.model_dump(mode="json"))

    def agent_says(self, record: ConversationRecord, agent_id: str, text: str, subject: str | None = None) -> TranscriptItem:
        """An agent's message, checked already (the API's send, or a simulated agent's line)."""
        quoted = None
        if record.channel == Channel.EMAIL:
            subject = subject or (f"Re: {record.subject}" if record.subject else None)
            last = self._last(record, "customer")
            quoted = customers.quote(last.display_name, last.text) if last else None
        item = self.add_item(
            record, "agent", record.agent_name or agent_id, text, participant_id=agent_id, subject=subject, quoted=quoted
        )
        event = MessageEvent(contact_id=record.contact_id, item=item, inactivity_deadline=record.inactivity_deadline)
        self.publish(record, event)
        self.store.save(record)
        self.on_agent_message(record, item)
        return item

    def timeout_s(self, record: ConversationRecord) -> int | None:
        stored = self.store.settings(record.queue_id) or {}
        return {**DEFAULT_TIMEOUTS, **stored}.get(record.channel.value)

    def _agent_name(self, agent_id: str) -> str:
        try:
            return self.engine.agent(agent_id).name
        except NotFound:
            return agent_id

    def _queue_name(self, queue_id: str) -> str:
        try:
            return self.engine.queue(queue_id).name
        except NotFound:
            return queue_id


def _with_item(data: dict[str, Any], item: TranscriptItem) -> dict[str, Any]:
    """A stored message event with its item replaced by `item` (if it is that item's event)."""
    if isinstance(data.get("item"), dict) and data["item"].get("id") == item.id:
        return {**data, "item": {**data["item"], "text": item.text}}
    return data


def _duration(seconds: int) -> str:
    if seconds % 60 == 0 and seconds >= 60:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
