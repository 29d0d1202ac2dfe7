"""JSON shapes of call transcription (docs/mock-apis.md, "Call transcription"), mirrored by
agent_desktop/domain/models/transcription.py."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class TranscriptionLine(BaseModel):
    """One line said on a call, as far as it was heard: interim (words so far) until it is final."""

    id: str = Field(description="The line's id: the same for its interim versions and its final one")
    contact_id: str
    index: int = Field(description="0, 1, 2… within the call's transcript")
    role: Literal["customer", "agent"]
    display_name: str
    text: str = Field(description="Card numbers masked (a number not yet complete in an interim is left out)")
    final: bool = Field(description="False: an interim version, replaced by a later one with the same id")
    started_at: datetime = Field(description="When the speaker began the line")
    at: datetime = Field(description="When this version was heard")


class TranscriptionEvent(BaseModel):
    type: Literal["transcription"] = "transcription"
    contact_id: str
    line: TranscriptionLine
