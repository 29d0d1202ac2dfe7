"""JSON shapes of the conversation service (docs/mock-apis.md, "Conversations").

Mirrored field for field by the desktop's models (agent_desktop/domain/models/conversations.py); the mock keeps
its own copy because it must not import the desktop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, StrictBool, StrictInt, field_validator

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Text

Role = Literal["customer", "agent", "system", "supervisor"]
ItemKind = Literal["message", "participant_joined", "participant_left", "transferred", "conversation_ended", "whisper"]
ConversationState = Literal["active", "closed"]
EndReason = Literal["agent_ended", "customer_left", "customer_inactive", "abandoned", "transferred_out"]
DIGITAL = (Channel.CHAT, Channel.SMS, Channel.EMAIL)
ITEM_ID_PATTERN = r"^m-[0-9]{1,12}$"
WokenBy = Literal["customer", "time", "agent"]
ScheduledOutcome = Literal["scheduled", "sent", "cancelled_by_customer", "cancelled", "not_sent"]


class TranscriptItem(BaseModel):
    id: str = Field(description="`m-000042`: increasing across every conversation")
    contact_id: str
    index: int = Field(description="Position in this conversation's transcript, from 0")
    kind: ItemKind = Field(
        default="message",
        description="message, or an event of the conversation recorded in the transcript (joined, left, "
        "transferred, ended); whisper: a supervisor's line to the agent, never shown to the customer",
    )
    role: Role = Field(description="Who wrote it; for participant_joined/left, who joined or left")
    participant_id: str | None = Field(default=None, description="The agent's id for an agent's item")
    display_name: str
    text: str
    created_at: datetime
    delivered_at: datetime | None = Field(default=None, description="Agent messages: reached the customer")
    read_at: datetime | None = Field(default=None, description="Agent messages: the customer read it (chat only)")
    subject: str | None = Field(default=None, description="Emails only")
    quoted: str | None = Field(default=None, description="Emails only: the earlier thread, quoted")
    segments: int | None = Field(default=None, description="SMS only: how many segments it was sent in")
    encoding: Literal["GSM-7", "UCS-2"] | None = Field(default=None, description="SMS only")


class TranscriptPage(BaseModel):
    items: list[TranscriptItem] = Field(description="Oldest first: the newest `limit` items before `before`")
    has_more: bool = Field(description="Older items exist: ask again with `before` = the first item's id")


class ChannelLimits(BaseModel):
    max_chars: int = Field(description="Longest text an agent may send, in characters (code points)")
    subject_max_chars: int | None = Field(default=None, description="Emails: longest subject")
    sms_segment_chars: int | None = Field(
        default=None, description="SMS: characters in one GSM-7 segment (153 per segment once split; UCS-2: 70/67)"
    )


class ScheduledReply(BaseModel):
    text: str = Field(description="The reply, masked as every message is")
    send_at: datetime


class Conversation(BaseModel):
    contact_id: str
    channel: Channel
    state: ConversationState
    customer_name: str
    customer_address: str
    subject: str | None = None
    agent_id: str | None = Field(default=None, description="The agent taking part now, if any")
    item_count: int
    unread: int = Field(description="Customer messages after the agent's read marker")
    agent_last_read_item_id: str | None = None
    customer_last_read_item_id: str | None = Field(default=None, description="Chat: the customer's read marker")
    customer_typing: bool = False
    last_message_at: datetime | None = None
    last_customer_message_at: datetime | None = Field(default=None, description="Customer idle time = now - this")
    inactivity_timeout_s: int | None = Field(default=None, description="The queue's customer inactivity timeout")
    inactivity_deadline: datetime | None = Field(
        default=None,
        description="The conversation ends by itself then unless someone writes (reset by a message from either "
        "side, while an agent takes part)",
    )
    awaiting_reply_since: datetime | None = Field(
        default=None,
        description="Awaiting our reply since then: the oldest customer message no agent message has answered "
        "(null: the agent wrote last). Only an agent's message to the customer clears it; reading, a whisper, "
        "a transfer do not",
    )
    snoozed_until: datetime | None = Field(
        default=None,
        description="Snoozed by its agent until then (null: not snoozed): the customer's message wakes it sooner, "
        "except an acknowledgement after our reply (a 'thanks') unless `wake_on_acknowledgement`",
    )
    wake_on_acknowledgement: bool = False
    scheduled_reply: ScheduledReply | None = Field(
        default=None, description="The agent's reply to send then, cancelled if the customer writes first"
    )
    ended_at: datetime | None = None
    ended_reason: EndReason | None = None
    limits: ChannelLimits


class ConversationSettings(BaseModel):
    queue_id: str
    inactivity_timeout_s: dict[Channel, int | None] = Field(
        description="Per digital channel: seconds without a message before the conversation ends (null: never)"
    )


# --- requests -----------------------------------------------------------------


class MessageCreate(BaseModel):
    text: Text = Field(description="Plain text; limits per channel: chat 4,096, SMS 1,600, email 20,000 characters")
    subject: Text | None = Field(
        default=None, description="Emails only (default `Re: ` + the thread's subject), at most 200 characters"
    )


class CustomerMessageCreate(BaseModel):
    text: Text = Field(description="Plain text, within the channel's limits")


class TypingUpdate(BaseModel):
    typing: StrictBool


class ReadMarker(BaseModel):
    up_to_item_id: str = Field(pattern=ITEM_ID_PATTERN, description="The last item the agent has read")


class SnoozeRequest(BaseModel):
    until: AwareDatetime = Field(description="With its zone; in the future, at most 30 days ahead")
    wake_on_acknowledgement: StrictBool = Field(
        default=False, description="true: a 'thanks' after our reply wakes it too (by default it does not)"
    )


class ScheduledReplyCreate(BaseModel):
    text: Text = Field(description="Plain text within the channel's limits, as a message")
    send_at: AwareDatetime = Field(description="With its zone; in the future, at most 30 days ahead")


class ConversationSettingsPatch(BaseModel):
    inactivity_timeout_s: dict[Literal["chat", "sms", "email"], StrictInt | None] = Field(
        description="Channels left out stay; 1..86400 seconds, null for no timeout"
    )

    @field_validator("inactivity_timeout_s")
    @classmethod
    def _seconds(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        for channel, seconds in value.items():
            if seconds is not None and not 1 <= seconds <= 86400:
                raise ValueError(f"the {channel} timeout is 1..86400 seconds or null")
        return value


# --- events (the `data:` of each Server-Sent Event on the agent's stream) ---------


class MessageEvent(BaseModel):
    type: Literal["message"] = "message"
    contact_id: str
    item: TranscriptItem
    inactivity_deadline: datetime | None = None
    awaiting_reply_since: datetime | None = Field(
        default=None, description="The conversation's `awaiting_reply_since` once this item is in (null: not awaiting)"
    )


class TypingEvent(BaseModel):
    type: Literal["typing"] = "typing"
    contact_id: str
    role: Role
    display_name: str
    typing: bool = Field(description="true: started; false: stopped")


class DeliveredEvent(BaseModel):
    type: Literal["delivered"] = "delivered"
    contact_id: str
    item_id: str
    at: datetime


class ReadEvent(BaseModel):
    type: Literal["read"] = "read"
    contact_id: str
    role: Role = Field(description="customer: read the agent's messages; agent: the agent's read marker moved")
    up_to_item_id: str
    at: datetime


class ParticipantEvent(BaseModel):
    type: Literal["participant_joined", "participant_left"]
    contact_id: str
    item: TranscriptItem
    inactivity_deadline: datetime | None = Field(default=None, description="An agent joined: the deadline starts")


class ConversationEndedEvent(BaseModel):
    type: Literal["conversation_ended"] = "conversation_ended"
    contact_id: str
    reason: EndReason
    item: TranscriptItem


class SnoozeEvent(BaseModel):
    """The conversation was snoozed, or woke (`snoozed_until` null, `woken_by` says why)."""

    type: Literal["snooze"] = "snooze"
    contact_id: str
    snoozed_until: datetime | None
    woken_by: WokenBy | None = Field(default=None, description="customer: they wrote; time: its time came; agent")
    inactivity_deadline: datetime | None = Field(default=None, description="None while it waits on us")


class ScheduledReplyEvent(BaseModel):
    """A reply was scheduled, sent at its time, or cancelled (by the customer writing first, or by the agent);
    `text` is the reply's in every case, so a desk can hand a cancelled one back to its composer."""

    type: Literal["scheduled_reply"] = "scheduled_reply"
    contact_id: str
    outcome: ScheduledOutcome
    text: str
    send_at: datetime
    item_id: str | None = Field(default=None, description="sent: the message it became")
