"""A conversation's record and its simulated customer's state: what the core reads and changes, and the store keeps
(as JSON, one row a conversation: store.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.conversations.schemas import ConversationState, EndReason, ScheduledReply
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel


class CustomerState(BaseModel):
    """Where a simulated customer is in their intent's script (deterministic for the seed)."""

    intent: str
    first_name: str
    facts: dict[str, str] = {}
    idle_after: int | None = Field(default=None, description="Goes quiet after this many replies (None: never)")
    second_question: bool = False
    writes_card: bool = False
    volunteers_card: bool = False
    turn: int = 0
    used: list[str] = []
    asked_second: bool = False
    awaiting_reply: bool = False
    closing: bool = False
    language: str = "en"  # what they write in (customer_in_spanish.py)


class ConversationRecord(BaseModel):
    contact_id: str
    channel: Channel
    queue_id: str
    state: ConversationState = "active"
    customer_name: str
    customer_address: str
    subject: str | None = None
    agent_id: str | None = None  # the agent taking part now
    agent_name: str | None = None
    path_len: int = 0  # transfer hops seen
    item_count: int = 0
    agent_last_read: int = 0
    customer_last_read: int = 0
    customer_typing: bool = False
    last_message_at: datetime | None = None
    last_customer_message_at: datetime | None = None
    # The SLA clocks: the agent has written (a next reply is due, not the first), and since when the oldest
    # customer message the agent has not answered waits (None: the agent wrote last).
    agent_replied: bool = False
    reply_due_since: datetime | None = None
    # Awaiting our reply: since the oldest customer message no agent message to the customer followed,
    # an email thread's older ones included; only an agent's message clears it (a note, a read, a transfer, a
    # supervisor's whisper do not). Kept with the record, so a restart of the desk or of this server loses none.
    awaiting_reply_since: datetime | None = None
    # Snoozed until then, and a reply scheduled to send (core/waits.py): kept with the record, so a restart of the
    # desk or of this server loses neither; while either waits the customer's inactivity does not end it.
    snoozed_until: datetime | None = None
    wake_on_acknowledgement: bool = False
    scheduled_reply: ScheduledReply | None = None
    inactivity_deadline: datetime | None = None
    ended_at: datetime | None = None
    ended_reason: EndReason | None = None
    transfer_note: tuple[str, str | None] | None = None  # (agent id, note) of a transfer being made
    customer: CustomerState
