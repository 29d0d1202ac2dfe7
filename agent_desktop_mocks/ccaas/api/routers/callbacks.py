"""An agent's own scheduled callbacks: the agent schedules and reads theirs; a supervisor reads an
agent's callbacks in their queues (scheduled/service.py says how one is routed when due)."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse

from agent_desktop_mocks.ccaas.api.dependencies import AgentIdDep, PrincipalDep, ScopeDep
from agent_desktop_mocks.ccaas.api.write_keys import REPLAY_DOC, OptionalIdempotencyKey, write_keys
from agent_desktop_mocks.ccaas.core.wire.schemas import Message
from agent_desktop_mocks.ccaas.scheduled.schemas import CallbackSchedule, ScheduledCallback
from agent_desktop_mocks.ccaas.scheduled.service import ScheduledCallbacks

router = APIRouter(prefix="/v1/agents", tags=["callbacks"])


def _callbacks(request: Request) -> ScheduledCallbacks:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(ScheduledCallbacks, request.app.state.scheduled_callbacks)


@router.post(
    "/{agent_id}/callbacks",
    response_model=ScheduledCallback,
    status_code=201,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="Schedule a callback the agent owns, from a contact they had: offered to them when due",
    description="The agent alone, for themselves. 422: a naive or past `due_at`, an unknown `time_zone`, no number "
    "to dial; 404: an unknown contact; 403: a contact that was never theirs." + REPLAY_DOC,
)
async def schedule(
    agent_id: AgentIdDep,
    body: CallbackSchedule,
    who: PrincipalDep,
    request: Request,
    idempotency_key: OptionalIdempotencyKey = None,
) -> ScheduledCallback | JSONResponse:
    if who.role != "agent":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "an agent schedules their own callbacks")
    return write_keys(request).write(
        who,
        idempotency_key,
        f"callbacks of {agent_id}",
        body,
        lambda: _callbacks(request).schedule(agent_id, body),
        status.HTTP_201_CREATED,
    )


@router.get(
    "/{agent_id}/callbacks",
    response_model=list[ScheduledCallback],
    responses={403: {"model": Message}},
    summary="The agent's scheduled callbacks, soonest first, with their state",
    description="The agent alone, or a supervisor: only those in the supervisor's queues.",
)
async def listed(agent_id: AgentIdDep, who: PrincipalDep, scope: ScopeDep, request: Request) -> list[ScheduledCallback]:
    return _callbacks(request).of_agent(agent_id, lambda queue_id: scope.keeps(who, queue_id))
