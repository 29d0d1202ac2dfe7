"""Help from the supervisor: an agent's flag with its private thread, and the supervisors' broadcasts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from agent_desktop.domain.models.base import Model, StreamEvent
from agent_desktop.domain.vocabulary import Channel


class FlagLine(Model):
    author: Literal["agent", "supervisor"]
    author_id: str = ""
    name: str
    text: str
    at: datetime


class Flag(Model):
    """An agent's call for help on a contact, and the private thread with the supervisors of its queue."""

    id: str
    contact_id: str
    queue_id: str = ""
    channel: Channel | None = None
    agent_id: str
    agent_name: str = ""
    raised_at: datetime
    state: Literal["open", "closed"] = "open"
    closed_at: datetime | None = None
    closed_by: str | None = None
    lines: list[FlagLine] = []  # oldest first; the first is the agent's reason


class FlagEvent(StreamEvent):
    """A flag raised, a line added to its thread, or closed (on the agent's stream and the supervisor's)."""

    type: Literal["flag_raised", "flag_line", "flag_closed"]
    contact_id: str
    flag: Flag
    at: datetime


class Broadcast(Model):
    """A supervisor's short message to a team's or a queue's agents, shown until it expires."""

    id: str
    supervisor_id: str = ""
    supervisor_name: str
    text: str
    queue_id: str | None = None
    sent_at: datetime
    expires_at: datetime
    agent_ids: list[str] = []


class BroadcastEvent(StreamEvent):
    type: Literal["broadcast"] = "broadcast"
    broadcast: Broadcast
