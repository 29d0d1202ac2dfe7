"""What a virtual agent on the chat entry hands to a person (docs/mock-apis.md, "The virtual agent"): the JSON shapes
a contact's `handoff` carries, beside the contact's own in schemas.py."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

EscalationReason = Literal["asked_for_person", "no_article_twice", "mood_falling", "model_failed"]
Mood = Literal["positive", "neutral", "negative"]


class BotLine(BaseModel):
    """One line of a virtual agent's conversation with the customer, before a person (card data masked)."""

    role: Literal["customer", "virtual_agent"]
    text: str
    at: datetime


class BotHandoff(BaseModel):
    """What the virtual agent on the chat entry hands to the person it escalates to (docs/mock-apis.md,
    "The virtual agent"): why, what the customer came for, how they feel now, and what was said."""

    reason: EscalationReason = Field(
        description="asked_for_person, no_article_twice (two answers without a knowledge article), mood_falling, "
        "model_failed (the contact center's model did not answer)"
    )
    intent: str | None = Field(default=None, description="What the customer came for, as the bot read it")
    mood: Mood = Field(description="The customer's mood at the handoff, from their last message")
    transcript: list[BotLine] = Field(default=[], description="The bot's conversation, oldest first")
