"""The presence change stream (Server-Sent Events, resumable with Last-Event-ID)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from agent_desktop_mocks.presence.directory import TOPIC, DirectoryDep

router = APIRouter(prefix="/presence", tags=["presence"])


@router.get(
    "/events",
    response_class=StreamingResponse,
    summary="Presence changes and instant messages as Server-Sent Events",
    description=(
        'Each change is `event: presence` with `data: {"type": "presence", "person_id", "presence"}` '
        'and each message sent or received is `event: expert_message` with `data: {"type": "expert_message", "message"}`, '
        "each with an increasing `id:`. Reconnect with `Last-Event-ID` to receive what was missed first. "
        "A `: heartbeat` comment comes every 15 s."
    ),
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def presence_events(
    directory: DirectoryDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    return directory.events.response(TOPIC, last_event_id)
