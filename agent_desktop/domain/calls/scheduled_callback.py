"""A callback an agent owns: scheduled from a contact they had, for a time agreed in the customer's
zone; the contact center offers it to them when due, or to the queue once its expiry passes. The desk's copy of
the contact center's record (agent_desktop/agent_desk/callbacks/callback_rules.py works out what the agent sees)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agent_desktop.domain.models import CustomerText, Model

CallbackState = Literal["scheduled", "offered", "done", "queued"]


class ScheduledCallback(Model):
    id: str
    agent_id: str
    contact_id: str
    queue_id: str
    number: str
    note: CustomerText = ""  # what was said on the call: masked as it is read, wherever it is drawn
    due_at: datetime
    time_zone: str = Field(description="The IANA zone the time was agreed in (the customer's)")
    created_at: datetime
    expires_at: datetime = Field(description="Not taken by its owner by then: offered to the queue")
    state: CallbackState = "scheduled"
    callback_contact_id: str | None = None
    to_queue: bool = False
