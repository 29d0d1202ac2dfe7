"""A conversation's life as the routing engine's contact lives it: opened, joined, transferred, left, ended.

A digital contact arriving opens a conversation with the customer's opening message; an agent connecting joins
it; a transfer records who transferred it and their note, and the agent leaves; after-contact work, an abandon
or a transfer out ends it. The customer leaving, or going quiet too long, ends it too (the shell asks the
engine to end the contact, and its change ends the conversation with the reason kept in `ending`).
"""

from __future__ import annotations

from datetime import timedelta

from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.conversations.core.changes import Changes, Setup, item_number
from agent_desktop_mocks.ccaas.conversations.core.transcript import add_item, deadline
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import (
    ConversationEndedEvent,
    EndReason,
    MessageEvent,
    ParticipantEvent,
    Role,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import TALKING, TERMINAL, Channel, Contact, ContactState

VIRTUAL_AGENT_ID = "virtual-agent"  # the participant id of the virtual agent's lines in a transcript
VIRTUAL_AGENT_NAME = "Virtual agent"


class ConversationLifecycle:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.ending: dict[str, EndReason] = {}  # contacts being ended by the conversation's side, and why

    def contact_changed(self, changes: Changes, record: ConversationRecord | None, contact: Contact) -> None:
        """The engine's contact as it is now, and its conversation as stored (None: not opened yet)."""
        if record is None:
            if contact.state in TERMINAL:
                return  # finished before we knew it
            record = self.open(changes, contact)
        elif record.state == "closed":
            return
        if len(contact.transfer_path) > record.path_len:
            record.path_len = len(contact.transfer_path)
            self.transferred(changes, record, contact.transfer_path[-1])
        if contact.state in TALKING and contact.agent_id and record.agent_id != contact.agent_id:
            if record.agent_id is not None:
                self.left(changes, record)
            self.joined(changes, record, contact.agent_id)
        if record.state == "active" and (contact.state == ContactState.AFTER_CONTACT_WORK or contact.state in TERMINAL):
            default: EndReason = "abandoned" if contact.state == ContactState.ABANDONED else "agent_ended"
            self.end(changes, record, self.ending.pop(contact.id, default))
        changes.save(record)

    def open(self, changes: Changes, contact: Contact) -> ConversationRecord:
        setup = self.setup
        intent = customers.choose_intent(setup.seed, contact.id, contact.queue_id, contact.subject, setup.intents)
        caller = customers.known_caller(setup.seed, setup.customers_count, contact.from_address)
        arrived = contact.entered_queue_at
        state = customers.new_customer(
            setup.seed, contact.id, intent, caller, contact.from_address, arrived, contact.channel
        )
        fallback_name = "Web visitor" if contact.channel == Channel.CHAT else contact.from_address
        record = ConversationRecord(
            contact_id=contact.id,
            channel=contact.channel,
            queue_id=contact.queue_id,
            customer_name=(caller.name if caller else None) or fallback_name,
            customer_address=contact.from_address,
            subject=contact.subject if contact.channel == Channel.EMAIL else None,
            customer=state,
        )
        if record.channel == Channel.EMAIL and record.subject is None:
            record.subject = intent.subject
        if contact.handoff is not None:  # the virtual agent's conversation is the transcript's start
            self.bot_lines(changes, record, contact)
            changes.save(record)
            return record
        for line in customers.opening(intent, state, contact.channel, record.subject):
            role: Role = "customer" if line.role == "customer" else "agent"
            item = add_item(
                changes,
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
                changes.update(item_number(item.id), item)
            event = MessageEvent(
                contact_id=record.contact_id, item=item, awaiting_reply_since=record.awaiting_reply_since
            )
            changes.publish(record, event)
        changes.save(record)
        return record

    def bot_lines(self, changes: Changes, record: ConversationRecord, contact: Contact) -> None:
        """The virtual agent's lines and the customer's before the person, as they were said: the bot's marked by
        its participant id and name (`VIRTUAL_AGENT_ID`, "Virtual agent"), delivered when said."""
        assert contact.handoff is not None
        for line in contact.handoff.transcript:
            bot = line.role == "virtual_agent"
            item = add_item(
                changes,
                record,
                "agent" if bot else "customer",
                VIRTUAL_AGENT_NAME if bot else record.customer_name,
                line.text,
                participant_id=VIRTUAL_AGENT_ID if bot else None,
                at=line.at,
            )
            if bot:
                item = item.model_copy(update={"delivered_at": item.created_at})
                changes.update(item_number(item.id), item)
            event = MessageEvent(
                contact_id=record.contact_id, item=item, awaiting_reply_since=record.awaiting_reply_since
            )
            changes.publish(record, event)

    def joined(self, changes: Changes, record: ConversationRecord, agent_id: str) -> None:
        name = changes.facts.agent_name(agent_id)
        record.agent_id, record.agent_name = agent_id, name
        item = add_item(
            changes,
            record,
            "agent",
            name,
            f"{name} joined the conversation",
            kind="participant_joined",
            participant_id=agent_id,
        )
        record.inactivity_deadline = deadline(changes, record, item.created_at)
        event = ParticipantEvent(
            type="participant_joined",
            contact_id=record.contact_id,
            item=item,
            inactivity_deadline=record.inactivity_deadline,
        )
        changes.publish(record, event)
        changes.tell("joined", record)

    def left(self, changes: Changes, record: ConversationRecord) -> None:
        """The agent left the conversation (a transfer took it on): the customer is told, in the transcript."""
        name = record.agent_name or "The agent"
        item = add_item(
            changes,
            record,
            "agent",
            name,
            f"{name} left the conversation",
            kind="participant_left",
            participant_id=record.agent_id,
        )
        changes.publish(record, ParticipantEvent(type="participant_left", contact_id=record.contact_id, item=item))
        record.agent_id = record.agent_name = None
        record.inactivity_deadline = None

    def transferred(self, changes: Changes, record: ConversationRecord, hop: str) -> None:
        """A hop of the contact's transfer path (`queue:…`, `agent:…`, `address:…`), with the note its agent left."""
        kind, _, target = hop.partition(":")
        by = record.agent_name or "The agent"
        note = record.transfer_note[1] if record.transfer_note else None
        record.transfer_note = None
        if kind == "queue":
            where = f"the {changes.facts.queue_name(target)} queue"
        elif kind == "agent":
            where = changes.facts.agent_name(target)
        else:
            where = target
        text = f"{by} transferred the conversation to {where}" + (f". Note: {note}" if note else "")
        item = add_item(changes, record, "system", "System", text, kind="transferred")
        event = MessageEvent(contact_id=record.contact_id, item=item, awaiting_reply_since=record.awaiting_reply_since)
        changes.publish(record, event)
        if kind == "address":
            self.ending[record.contact_id] = "transferred_out"  # it ends with the contact's after-contact work
            return
        if record.agent_id is not None:
            self.left(changes, record)

    def end(self, changes: Changes, record: ConversationRecord, reason: EndReason) -> None:
        text = {
            "agent_ended": f"{record.agent_name or 'The agent'} ended the conversation",
            "customer_left": f"{record.customer_name} left the conversation",
            "customer_inactive": "The conversation ended: no message for "
            f"{_duration(changes.facts.timeout_s(record) or 0)}",
            "abandoned": f"{record.customer_name} left before an agent joined",
            "transferred_out": "The conversation left the contact center",
        }[reason]
        item = add_item(changes, record, "system", "System", text, kind="conversation_ended")
        record.state = "closed"
        record.ended_at, record.ended_reason = changes.facts.now(), reason
        record.inactivity_deadline = None
        record.customer_typing = False
        record.customer.awaiting_reply = False
        changes.publish(record, ConversationEndedEvent(contact_id=record.contact_id, reason=reason, item=item))
        changes.save(record)

    def customer_leaves(self, changes: Changes, record: ConversationRecord) -> None:
        """The customer said goodbye: the agent sees them leave (the contact's end closes the conversation)."""
        name = record.customer_name
        item = add_item(changes, record, "customer", name, f"{name} left the conversation", kind="participant_left")
        changes.publish(record, ParticipantEvent(type="participant_left", contact_id=record.contact_id, item=item))
        changes.save(record)


def _duration(seconds: int) -> str:
    if seconds % 60 == 0 and seconds >= 60:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
