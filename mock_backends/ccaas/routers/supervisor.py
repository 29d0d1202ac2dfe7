"""The supervisor's view: every event of the contact center."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from starlette.responses import StreamingResponse

from mock_backends.ccaas.dependencies import SupervisorDep
from mock_backends.ccaas.engine import SUPERVISOR_TOPIC
from mock_backends.ccaas.routers.agents import SSE_RESPONSE

router = APIRouter(prefix="/v1/supervisor", tags=["supervisor"])


@router.get("/events", response_class=StreamingResponse, responses=SSE_RESPONSE, summary="Every event")
async def events(
    _: SupervisorDep,
    request: Request,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    return request.app.state.event_log.response(SUPERVISOR_TOPIC, last_event_id)
