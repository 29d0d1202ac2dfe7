"""JSON shapes of the rules and the alerts (docs/mock-apis.md, "Alerts from what is said")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StringConstraints, field_validator

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel

Cause = Literal["words", "mood", "silence", "urgent"]

# Letters (any script), words joined by a space, a hyphen or an apostrophe: "lawyer", "cancel my account", "can't".
Word = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=40, pattern=r"^\p{L}+(?:[ '\-]\p{L}+)*$"),
]
DEFAULT_WORDS = ["cancel", "complaint", "lawyer", "solicitor", "ombudsman", "chargeback", "unacceptable"]


class SaidAlertRules(BaseModel):
    """What makes a customer's message an alert to their queue's supervisors."""

    model_config = ConfigDict(extra="forbid")

    words: list[Word] = Field(
        default_factory=lambda: list(DEFAULT_WORDS),
        max_length=50,
        description="Words or phrases that raise an alert when a customer writes one (whole words, any case)",
    )
    negative_at: StrictFloat = Field(
        default=-0.5,
        ge=-1.0,
        le=0.0,
        description="A customer message scoring this or lower (VADER's compound, -1 to 1) may raise a mood alert",
    )
    falling_by: StrictFloat = Field(
        default=0.3,
        ge=0.0,
        le=2.0,
        description="... when it is this much below the mean of the customer's (at most three) messages before it; "
        "a first message that negative raises one at once",
    )
    silent_for_s: StrictInt = Field(
        default=30,
        ge=5,
        le=600,
        description="Seconds without a word on a call, the caller not on hold, that raise a silence alert",
    )

    @field_validator("words")
    @classmethod
    def _listed_once(cls, words: list[str]) -> list[str]:
        seen: set[str] = set()
        for word in words:
            if word.casefold() in seen:
                raise ValueError(f"{word!r} is listed twice")
            seen.add(word.casefold())
        return words


class SaidAlert(BaseModel):
    id: str
    contact_id: str
    queue_id: str
    channel: Channel
    agent_id: str | None
    agent_name: str | None
    cause: Cause
    words: list[str] = Field(description="The listed words the customer wrote (cause words)")
    score: float | None = Field(description="The message's mood score (cause mood)")
    silent_s: int | None = Field(default=None, description="How long the call has been silent (cause silence)")
    text: str = Field(
        description="The customer's message, card data masked, at most 200 characters; for a silence, the last line "
        "said before it"
    )
    at: datetime
    reason: str | None = Field(default=None, description="Why the contact is urgent, in words (cause urgent)")
    recent: list[str] = Field(
        default=[], description="The customer's last lines, oldest first, card data masked (cause urgent)"
    )


class SaidAlertEvent(BaseModel):
    """An alert raised; `contact_id` lets the supervisor stream keep it to the supervisors of the contact's queue."""

    type: Literal["said_alert"] = "said_alert"
    contact_id: str
    alert: SaidAlert
    at: datetime
