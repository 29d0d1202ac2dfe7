"""The virtual agent's API shapes: a customer opening a chat with it, writing to it, a call it answers first, and what
it answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.core.bot_handoff import BotLine, EscalationReason, Mood
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, Text

ChatOutcome = Literal["talking", "contained", "escalated", "failed"]


class VirtualChatCreate(BaseModel):
    queue_id: Text = Field(min_length=1, max_length=100, description="A queue whose chat entry has a virtual agent")
    from_address: Text = Field(min_length=1, max_length=200, description="Who writes (an email address, a number)")
    text: Text = Field(min_length=1, max_length=1024, description="The customer's first message")


class VirtualCallCreate(BaseModel):
    queue_id: Text = Field(min_length=1, max_length=100, description="A queue whose calls the virtual agent answers")
    from_address: Text = Field(min_length=1, max_length=200, description="The caller's number")
    subject: Text | None = Field(
        default=None,
        max_length=80,
        description="What the caller came for (a script's subject, as the IVR hears it): the simulated caller then "
        "says that script's lines, else the queue's first",
    )
    said: list[Annotated[Text, Field(min_length=1, max_length=1024)]] | None = Field(
        default=None,
        max_length=20,
        description="What the caller says, line by line, as recognised (instead of a script's lines)",
    )


class VirtualChatMessage(BaseModel):
    text: Text = Field(min_length=1, max_length=1024, description="The customer's next message")


class VirtualChat(BaseModel):
    """A customer's chat with the virtual agent: its lines (card data masked), what it read, and how it ended."""

    id: str
    queue_id: str
    channel: Channel = Field(default=Channel.CHAT, description="chat, or voice: a call the bot answered first")
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
    """One queue's chats and calls with its virtual agent since the mock started."""

    queue_id: str
    contained: int = Field(description="Customers the bot served who left without a person")
    escalated: int = Field(description="Handed to a person on a rule (asked, no article twice, the mood fell)")
    failed: int = Field(description="Handed to a person because the model did not answer")
    talking: int = Field(description="With the bot now")
