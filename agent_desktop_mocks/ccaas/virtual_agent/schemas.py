"""The virtual agent's API shapes: a customer opening a chat with it, writing to it, and what it answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.core.bot_handoff import BotLine, EscalationReason, Mood
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, Text

ChatOutcome = Literal["talking", "contained", "escalated", "failed"]


class VirtualChatCreate(BaseModel):
    queue_id: Text = Field(min_length=1, max_length=100, description="A queue whose chat entry has a virtual agent")
    from_address: Text = Field(min_length=1, max_length=200, description="Who writes (an email address, a number)")
    text: Text = Field(min_length=1, max_length=1024, description="The customer's first message")


class VirtualChatMessage(BaseModel):
    text: Text = Field(min_length=1, max_length=1024, description="The customer's next message")


class VirtualChat(BaseModel):
    """A customer's chat with the virtual agent: its lines (card data masked), what it read, and how it ended."""

    id: str
    queue_id: str
    outcome: ChatOutcome = Field(
        description="talking (with the bot); contained (the customer left served by the bot); escalated (handed to a "
        "person on a rule); failed (handed to a person because the contact center's model did not answer)"
    )
    transcript: list[BotLine]
    intent: str | None = None
    mood: Mood = "neutral"
    reason: EscalationReason | None = Field(default=None, description="Why it was handed to a person")
    contact: Contact | None = Field(default=None, description="The chat contact queued for a person, once handed over")
    started_at: datetime


class VirtualAgentCounts(BaseModel):
    """One queue's chats with its virtual agent since the mock started."""

    queue_id: str
    contained: int = Field(description="Customers the bot served who left without a person")
    escalated: int = Field(description="Handed to a person on a rule (asked, no article twice, the mood fell)")
    failed: int = Field(description="Handed to a person because the model did not answer")
    talking: int = Field(description="With the bot now")
