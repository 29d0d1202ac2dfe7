"""What the TaskRouter routers share: path parameters with Twilio's SID patterns, the renderer, look-ups."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request

from agent_desktop_mocks.twilio.http.errors import not_found
from agent_desktop_mocks.twilio.resources import Render
from agent_desktop_mocks.twilio.retention import deleted, segment_deleted
from agent_desktop_mocks.twilio.state import TwilioState
from agent_desktop_mocks.twilio.task_segments import Segment


def sid_param(prefix: str) -> Any:  # FastAPI's `Path` is typed Any so that it can stand as a default
    return Path(pattern=f"^{prefix}[0-9a-fA-F]{{32}}$", min_length=34, max_length=34)


WorkspaceSid = Annotated[str, sid_param("WS")]
WorkerSid = Annotated[str, sid_param("WK")]
ReservationSid = Annotated[str, sid_param("WR")]
TaskSid = Annotated[str, sid_param("WT")]
WorkflowSid = Annotated[str, sid_param("WW")]


def render(request: Request, twilio: TwilioState) -> Render:
    return Render(twilio, str(request.base_url).rstrip("/"))


def agent_of(twilio: TwilioState, sid: str, request: Request) -> str:
    agent_id = twilio.sids.key("WK", sid)
    if agent_id is None:
        raise not_found(request.url.path)
    twilio.engine.read.agent(agent_id)
    return agent_id


def contact_of(twilio: TwilioState, sid: str, request: Request) -> str:
    """The contact whose task now the SID names (a task an Invite ended is not the contact: 404 here)."""
    contact_id, segment = task_of(twilio, sid, request)
    if segment is not None:
        raise not_found(request.url.path)
    return contact_id


def task_of(twilio: TwilioState, sid: str, request: Request) -> tuple[str, Segment | None]:
    """The contact a task SID names and, for a task an Invite ended, that task (task_segments.py)."""
    found = twilio.tasks.resolve(sid)
    if found is None:
        raise not_found(request.url.path)
    contact = twilio.engine.read.contact(found[0])  # NotFound → 404
    if segment_deleted(twilio, found[1]) if found[1] is not None else deleted(twilio, contact):
        raise not_found(request.url.path)  # TaskRouter deleted it five minutes after it finished (retention.py)
    return found
