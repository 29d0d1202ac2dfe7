"""Alerts from what customers say: the contact center reads each customer message against its rules (words it
lists, a customer's mood falling; a call's long silence) and tells the supervisors of the contact's queue, once per contact and cause
(docs/mock-apis.md, "Alerts from what is said")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agent_desktop.domain.models import CustomerText, Model
from agent_desktop.domain.vocabulary import Channel

SaidCause = Literal["words", "mood", "silence", "urgent"]


class SaidAlert(Model):
    id: str
    contact_id: str
    queue_id: str
    channel: Channel
    agent_id: str | None = None
    agent_name: str | None = None
    cause: SaidCause
    words: list[CustomerText] = Field(default=[], description="The listed words the customer wrote (cause words)")
    score: float | None = Field(default=None, description="The message's mood score, -1 to 1 (cause mood)")
    silent_s: int | None = Field(default=None, description="How long the call has been silent (cause silence)")
    text: CustomerText = Field(description="The customer's message, card data masked (a silence: the line before)")
    at: datetime
    reason: CustomerText | None = Field(default=None, description="Why the contact is urgent, in words (cause urgent)")
    recent: list[CustomerText] = Field(
        default=[], description="The customer's last lines, oldest first, card data masked (cause urgent)"
    )

    @property
    def urgent(self) -> bool:
        return self.cause == "urgent"

    def said(self) -> str:
        """What it is about, in a few words: “lawyer”, “cancel”, the mood, the silence, or why it is urgent (in words
        that say so: a supervisor reading in monochrome must not miss it)."""
        if self.cause == "urgent":
            return f"URGENT: {self.reason or 'urgent assist'}"
        if self.cause == "words":
            return ", ".join(f"“{word}”" for word in self.words) or "a listed word"
        if self.cause == "silence":
            return f"silent {self.silent_s} s on the call" if self.silent_s is not None else "silent on the call"
        return f"mood negative ({self.score:+.2f})" if self.score is not None else "mood negative"


class SaidAlertEvent(Model):
    type: Literal["said_alert"] = "said_alert"
    contact_id: str
    alert: SaidAlert
    at: datetime
