"""JSON shapes of flags and broadcasts (docs/mock-apis.md, "Help from the supervisor"), mirrored by
agent_desktop/domain/flag_models.py."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictFloat

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, TypedText

FlagChange = Literal["flag_raised", "flag_line", "flag_closed"]


class FlagLine(BaseModel):
    author: Literal["agent", "supervisor"]
    author_id: str
    name: str
    text: str
    at: datetime


class Flag(BaseModel):
    id: str
    contact_id: str
    queue_id: str
    channel: Channel
    agent_id: str
    agent_name: str
    raised_at: datetime
    state: Literal["open", "closed"] = "open"
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, description="Who closed it: a name, or contact_ended")
    lines: list[FlagLine] = Field(description="The thread, oldest first; the first is the agent's reason")


class FlagEvent(BaseModel):
    """A flag raised, a line added to its thread, or closed; `contact_id` lets the supervisor stream keep it to
    the supervisors of the contact's queue."""

    type: FlagChange
    contact_id: str
    flag: Flag
    at: datetime


class Broadcast(BaseModel):
    id: str
    supervisor_id: str
    supervisor_name: str
    text: str
    queue_id: str | None = Field(description="The queue whose agents it went to; None: the supervisor's team")
    sent_at: datetime
    expires_at: datetime
    agent_ids: list[str] = Field(description="The agents it was sent to")


class BroadcastEvent(BaseModel):
    type: Literal["broadcast"] = "broadcast"
    broadcast: Broadcast


# --- requests -----------------------------------------------------------------


def _not_blank(text: str) -> str:
    """A line says something: only spaces, line breaks or invisible (format) characters is no line."""
    if all(c.isspace() or unicodedata.category(c) == "Cf" for c in text):
        raise ValueError("text must say something: not only spaces or invisible characters")
    return text


SaidText = Annotated[TypedText, AfterValidator(_not_blank)]


class FlagCreate(BaseModel):
    text: SaidText = Field(min_length=1, max_length=500, description="Why the agent asks for help; card data masked")


class FlagLineCreate(BaseModel):
    text: SaidText = Field(min_length=1, max_length=500, description="A line of the thread; card data masked")


class BroadcastCreate(BaseModel):
    text: SaidText = Field(min_length=1, max_length=280, description="A short message; card data masked")
    minutes: StrictFloat = Field(gt=0, le=480, description="How long the desks show it (a JSON number)")
    queue_id: str | None = Field(
        default=None, description="The queue whose agents get it; none: every agent of the supervisor's queues"
    )
