"""Live transcription of a voice call: a line said by the customer or the agent, as far as it was heard (interim,
then final), and the event that brings it (docs/mock-apis.md, "Call transcription"; the mock keeps its own shapes in
agent_desktop_mocks/ccaas/call_transcripts/schemas.py and the wire-form contract test proves the two agree).

A line's text is masked as it is read, whatever the contact center did: a final line's card numbers and security
codes as a message's are (`mask_pci`), an interim line's also without a run of digits at its end, which may be a
card number still being read out (`settled_part`: its first digits must not show either). A number split over two
final lines of a party is masked in both by the call's transcript (agent_desktop/transcripts/call_transcript.py).

Stands on pydantic alone, not on models.py (which lists this event among the stream's): the same base settings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent_desktop.domain.pci import mask_pci, settled_part
from agent_desktop.domain.vocabulary import ParticipantRole


class TranscriptionLine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    id: str = Field(description="The same for a line's interim versions and its final one")
    contact_id: str
    index: int = Field(description="0, 1, 2… within the call")
    role: ParticipantRole = Field(description="customer or agent")
    display_name: str = ""
    text: str
    final: bool = Field(description="False: the words heard so far, replaced by a later version")
    started_at: datetime | None = None
    at: datetime

    @model_validator(mode="before")
    @classmethod
    def _masked(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            text = data["text"]
            return {**data, "text": mask_pci(text) if data.get("final") is True else mask_pci(settled_part(text))}
        return data

    @property
    def said_at(self) -> datetime:
        """When the line was begun, as the transcript shows it."""
        return self.started_at or self.at


class TranscriptionEvent(BaseModel):
    """A line heard on a call, interim or final."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    type: Literal["transcription"] = "transcription"
    event_id: int | None = None  # the stream's id, as every stream event carries
    contact_id: str
    line: TranscriptionLine
