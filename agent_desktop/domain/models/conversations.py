"""Conversations of chat, SMS and email contacts (docs/mock-apis.md, "Conversations"): the transcript's items and
pages, the conversation itself, and the events of its stream."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agent_desktop.domain.models.base import CustomerText, Model, StreamEvent
from agent_desktop.domain.models.contact_center import ActionAnswer
from agent_desktop.domain.vocabulary import Channel, ParticipantRole

# The participant id the contact center gives its virtual agent's lines, written before a person joined
# (docs/mock-apis.md "The virtual agent on the chat entry").
VIRTUAL_AGENT_PARTICIPANT = "virtual-agent"


class TranscriptItem(ActionAnswer):
    """A message, or an event of the conversation (joined, left, transferred, ended) kept in its transcript."""

    id: str
    contact_id: str
    index: int
    kind: str = Field(
        default="message", description="message, participant_joined/left, transferred, conversation_ended"
    )
    role: ParticipantRole
    participant_id: str | None = None
    display_name: str
    text: str
    created_at: datetime
    delivered_at: datetime | None = Field(default=None, description="Agent messages: reached the customer")
    read_at: datetime | None = Field(default=None, description="Agent messages: read by the customer (chat)")
    subject: CustomerText | None = None
    quoted: CustomerText | None = Field(default=None, description="Email: the earlier thread, quoted")
    segments: int | None = Field(default=None, description="SMS: segments it was sent in")
    encoding: str | None = Field(default=None, description="SMS: GSM-7 or UCS-2")

    @property
    def by_virtual_agent(self) -> bool:
        """A line of the contact center's virtual agent, from before the customer was handed to a person."""
        return self.role == ParticipantRole.AGENT and self.participant_id == VIRTUAL_AGENT_PARTICIPANT

    @property
    def is_system(self) -> bool:
        return self.kind != "message" or self.role == ParticipantRole.SYSTEM


class TranscriptPage(Model):
    items: list[TranscriptItem] = Field(description="Oldest first")
    has_more: bool = Field(description="Older items exist: ask with before = items[0].id")


class ChannelLimits(Model):
    max_chars: int
    subject_max_chars: int | None = None
    sms_segment_chars: int | None = None


class ScheduledReply(Model):
    """A reply the agent scheduled, held by the contact center: sent at `send_at` unless the customer writes first."""

    text: CustomerText
    send_at: datetime


class Conversation(Model):
    contact_id: str
    channel: Channel
    state: Literal["active", "closed"]
    customer_name: CustomerText
    customer_address: str
    subject: CustomerText | None = None
    agent_id: str | None = None
    item_count: int
    unread: int
    agent_last_read_item_id: str | None = None
    customer_last_read_item_id: str | None = None
    customer_typing: bool = False
    last_message_at: datetime | None = None
    last_customer_message_at: datetime | None = None
    inactivity_timeout_s: int | None = None
    inactivity_deadline: datetime | None = Field(default=None, description="Ends by itself then unless someone writes")
    awaiting_reply_since: datetime | None = Field(
        default=None, description="Awaiting our reply since the customer's oldest unanswered message (None: not)"
    )
    snoozed_until: datetime | None = Field(default=None, description="Snoozed by its agent until then (None: awake)")
    wake_on_acknowledgement: bool = False
    scheduled_reply: ScheduledReply | None = None
    ended_at: datetime | None = None
    ended_reason: str | None = None
    limits: ChannelLimits


class TranscriptItemEvent(StreamEvent):
    """An event that adds an item to a conversation's transcript, and may move its inactivity deadline: a
    message, a participant joining or leaving (the mock sends the last two as one `ParticipantEvent`)."""

    contact_id: str
    item: TranscriptItem
    inactivity_deadline: datetime | None = None


class MessageEvent(TranscriptItemEvent):
    """A new transcript item (a message from anyone, or a system item such as a transfer)."""

    type: Literal["message"] = "message"
    # The conversation's awaiting-reply state once this item is in, where the contact center tells it (the mock
    # does, null included: a "thanks" to a snoozed conversation awaits nothing); untold, the desk follows the rule.
    awaiting_reply_since: datetime | None = None


class TypingEvent(StreamEvent):
    type: Literal["typing"] = "typing"
    contact_id: str
    role: ParticipantRole
    display_name: str
    typing: bool


class DeliveredEvent(StreamEvent):
    type: Literal["delivered"] = "delivered"
    contact_id: str
    item_id: str
    at: datetime


class ReadEvent(StreamEvent):
    """The customer read the agent's messages up to an item, or the agent's read marker moved."""

    type: Literal["read"] = "read"
    contact_id: str
    role: ParticipantRole
    up_to_item_id: str
    at: datetime


class ParticipantJoinedEvent(TranscriptItemEvent):
    type: Literal["participant_joined"] = "participant_joined"


class ParticipantLeftEvent(TranscriptItemEvent):
    type: Literal["participant_left"] = "participant_left"


class ConversationEndedEvent(StreamEvent):
    type: Literal["conversation_ended"] = "conversation_ended"
    contact_id: str
    reason: str = Field(description="agent_ended, customer_left, customer_inactive, abandoned, transferred_out")
    item: TranscriptItem | None = Field(
        default=None, description="The item that says so, where the contact center writes one (Twilio: none)"
    )


class SnoozeEvent(StreamEvent):
    """Snoozed until a time, or awake again (`snoozed_until` None; `woken_by`: customer, time or agent)."""

    type: Literal["snooze"] = "snooze"
    contact_id: str
    snoozed_until: datetime | None = None
    woken_by: Literal["customer", "time", "agent"] | None = None
    inactivity_deadline: datetime | None = Field(default=None, description="Woken: the deadline it gets again")


class ScheduledReplyEvent(StreamEvent):
    """A reply scheduled, sent at its time, or taken back (by the customer writing first, by the agent, or not sent
    because the contact was not connected): `text` is the reply's in each case."""

    type: Literal["scheduled_reply"] = "scheduled_reply"
    contact_id: str
    outcome: Literal["scheduled", "sent", "cancelled_by_customer", "cancelled", "not_sent"]
    text: CustomerText
    send_at: datetime
    item_id: str | None = None


ConversationEvent = (
    MessageEvent
    | TypingEvent
    | DeliveredEvent
    | ReadEvent
    | ParticipantJoinedEvent
    | ParticipantLeftEvent
    | ConversationEndedEvent
    | SnoozeEvent
    | ScheduledReplyEvent
)
