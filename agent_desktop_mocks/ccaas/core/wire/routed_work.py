"""What a voice caller who did not wait leaves behind, routed as work: a callback to dial or a message to hear."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class Callback(BaseModel):
    """A caller who asked to be called back: the contact keeps its place and is dialled when an agent takes it."""

    number: str = Field(description="The number to dial")
    reason: str | None = None
    requested_at: datetime
    state: Literal["waiting", "dialling", "answered", "no_answer", "failed"] = Field(
        default="waiting",
        description="waiting for an agent; dialling (the agent accepted); answered; no_answer (a retry is "
        "scheduled at retry_at); failed (no answer after max_attempts: the contact is completed)",
    )
    attempts: int = Field(default=0, description="Dials so far")
    max_attempts: int
    retry_at: datetime | None = None


class Voicemail(BaseModel):
    """A caller who left a message (their choice, or the queue's limit passed): the contact keeps its place and is
    offered as any call; the agent who takes it hears it and may call the number back."""

    number: str = Field(description="The caller's number: the card pops from it, a call back dials it")
    seconds: float = Field(description="The message's length (at most max_s)")
    transcript: list[str] = Field(description="What was recognised of it, line by line, card numbers masked")
    cut: bool = Field(description="The caller went on past max_s: the message is cut there, nothing before it lost")
    max_s: int = Field(description="The queue's longest message")
    left_at: datetime
    why: Literal["chosen", "waited"] = Field(description="chosen at the menu, or the queue's voicemail_after_s passed")
    audio: bool = Field(description="Its audio was recorded (GET …/voicemail/audio); a simulated caller's was not")
    attempts: int = Field(default=0, description="Times it was offered to an agent")
