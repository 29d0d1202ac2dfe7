"""The messaging API's JSON shapes (the desk parses its own: agent_desktop/domain/messages/protocol.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MessageChannel = Literal["sms", "email"]
MessageStatus = Literal["queued", "sent", "delivered", "failed"]


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: MessageChannel
    to: str = Field(min_length=1, max_length=320, description="A phone number (sms) or an email address (email)")
    body: str = Field(min_length=1, max_length=1600, description="The text (Twilio's Body is at most 1,600 chars)")

    @field_validator("to")
    @classmethod
    def _one_line(cls, to: str) -> str:
        """An address with a line break or another control character would add header lines to an email (`Bcc:`)
        on a real mail backend: refused, not cleaned."""
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in to):
            raise ValueError("an address is one line: no line break or other control character")
        return to


class Message(BaseModel):
    id: str
    agent_id: str
    channel: MessageChannel
    to: str
    body: str
    status: MessageStatus = Field(description="queued, then sent, then delivered; failed for an invalid address")
    error: str | None = None
    created_at: datetime
