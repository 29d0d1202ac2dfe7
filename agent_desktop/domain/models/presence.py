"""Presence: the experts of the directory, their availability, and the instant messages exchanged with them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agent_desktop.domain.models.base import Model
from agent_desktop.domain.vocabulary import Availability


class Presence(Model):
    availability: Availability
    activity: str | None = None
    status_message: str | None = None
    changed_at: datetime


class Expert(Model):
    id: str
    name: str
    title: str | None = None
    department: str | None = None
    skills: list[str] = []
    languages: list[str] = []
    time_zone: str | None = None
    address: str | None = Field(default=None, description="Where the CCaaS can reach them (sip: or tel:)")
    presence: Presence


class PresenceEvent(Model):
    type: Literal["presence"] = "presence"
    person_id: str
    presence: Presence


class ExpertMessage(Model):
    """An instant message in the conversation with an expert."""

    id: str
    person_id: str
    direction: Literal["outbound", "inbound"] = Field(description="outbound: to the expert; inbound: their reply")
    text: str
    sender: str | None = None
    sent_at: datetime


class ExpertMessageEvent(Model):
    type: Literal["expert_message"] = "expert_message"  # the conversations' is "message"
    message: ExpertMessage
