"""The supervisor's view: the floor, each agent's day, statistics history and every event."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import StreamingResponse

from mock_backends.ccaas.dependencies import EngineDep, SupervisorDep
from mock_backends.ccaas.engine import SUPERVISOR_TOPIC
from mock_backends.ccaas.routers.agents import SSE_RESPONSE
from mock_backends.ccaas.schemas import AgentActivity, Contact, Message, StatsSample

router = APIRouter(prefix="/v1/supervisor", tags=["supervisor"], responses={403: {"model": Message}})


@router.get("/agents", response_model=list[AgentActivity], summary="Every agent with the contacts in their hands")
async def agents(_: SupervisorDep, engine: EngineDep) -> list[AgentActivity]:
    return engine.read.agents_overview()


@router.get(
    "/agents/{agent_id}/contacts/today",
    response_model=list[Contact],
    responses={404: {"model": Message}},
    summary="Every contact the agent handled since midnight, newest first",
)
async def contacts_today(agent_id: str, _: SupervisorDep, engine: EngineDep) -> list[Contact]:
    return engine.read.contacts_today(agent_id)


@router.get(
    "/stats/history",
    response_model=list[StatsSample],
    summary="One sample per queue per minute (waiting, 15-minute service level), oldest first",
)
async def history(
    _: SupervisorDep, engine: EngineDep, minutes: Annotated[int, Query(ge=1, le=1440)] = 30
) -> list[StatsSample]:
    return engine.history(minutes)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses=SSE_RESPONSE,
    summary="Every event, plus queue_stats every 2 s with the queues whose figures changed",
)
async def events(
    _: SupervisorDep,
    request: Request,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    return request.app.state.event_log.response(SUPERVISOR_TOPIC, last_event_id)
