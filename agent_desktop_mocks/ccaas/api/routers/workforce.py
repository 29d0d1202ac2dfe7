"""Workforce management: a queue's forecast and need, the floor's schedules and coverage for a
supervisor of those queues; an agent reads their own schedule (workforce/service.py says how each is made)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from fastapi import APIRouter, HTTPException, Query, Request, status

from agent_desktop_mocks.ccaas.api.dependencies import AgentIdDep, PrincipalDep, ScopeDep, SupervisorDep
from agent_desktop_mocks.ccaas.api.scope import Scope
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Message
from agent_desktop_mocks.ccaas.workforce.adherence import Adherence
from agent_desktop_mocks.ccaas.workforce.schemas import AdherenceSnapshot, AgentSchedule, Coverage, QueueForecast
from agent_desktop_mocks.ccaas.workforce.service import DayOutOfRange, Workforce
from agent_desktop_mocks.common.http.auth import Principal

router = APIRouter(tags=["workforce"])
DayQuery = Query(default=None, description="The day (UTC), today by default; up to six days ahead")
ERRORS: dict[int | str, dict[str, Any]] = {403: {"model": Message}, 404: {"model": Message}}


def _workforce(request: Request) -> Workforce:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(Workforce, request.app.state.workforce)


@contextmanager
def _day_checked(day: date | None) -> Iterator[None]:
    """A day out of range: 422 on the query's `day`, as a validation error is."""
    try:
        yield
    except DayOutOfRange as error:
        detail = [{"type": "value_error", "loc": ["query", "day"], "msg": str(error), "input": str(day)}]
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail) from None


@router.get(
    "/v1/workforce/queues/{queue_id}/forecast",
    response_model=QueueForecast,
    responses=ERRORS,
    summary="A queue's forecast per half-hour (arrivals, AHT) and the agents each needs (Erlang C)",
    description="A supervisor of the queue. 404: an unknown queue; 422: a day outside today … six days ahead.",
)
async def forecast(
    queue_id: str, who: SupervisorDep, scope: ScopeDep, request: Request, day: date | None = DayQuery
) -> QueueForecast:
    scope.check_queue(who, queue_id)
    with _day_checked(day):
        return _workforce(request).forecast(queue_id, day)


@router.get(
    "/v1/workforce/coverage",
    response_model=Coverage,
    responses=ERRORS,
    summary="Per half-hour: agents needed on the supervisor's queues, agents scheduled for them, and the gap",
    description="Supervisors: their own queues (every queue for a supervisor of all), or the one `queue_id` names "
    "(403 outside theirs, 404 unknown). 422: a day out of range.",
)
async def coverage(
    who: SupervisorDep,
    scope: ScopeDep,
    request: Request,
    day: date | None = DayQuery,
    queue_id: str | None = Query(default=None, description="One of the supervisor's queues alone"),
) -> Coverage:
    if queue_id is not None:
        scope.check_queue(who, queue_id)
        request.app.state.engine.read.queue(queue_id)  # 404 when unknown
    with _day_checked(day):
        return _workforce(request).coverage(day, scope.queues(who) if queue_id is None else [queue_id])


@router.get(
    "/v1/workforce/schedules",
    response_model=list[AgentSchedule],
    responses=ERRORS,
    summary="The day's schedules (shift, breaks, lunch) of the agents serving the supervisor's queues",
    description="Supervisors: agents with a skill of one of their queues. 422: a day out of range.",
)
async def schedules(
    who: SupervisorDep, scope: ScopeDep, request: Request, day: date | None = DayQuery
) -> list[AgentSchedule]:
    engine = request.app.state.engine
    with _day_checked(day):
        return _workforce(request).schedules(day, [a for a in engine.read.agents() if _serves(request, scope, who, a)])


@router.get(
    "/v1/agents/{agent_id}/schedule",
    response_model=AgentSchedule,
    responses=ERRORS,
    summary="An agent's schedule for the day: their shift, breaks and lunch, in order",
    description="The agent alone, or a supervisor of a queue the agent serves. 404: an unknown agent; 422: a day "
    "out of range.",
)
async def schedule_of(
    agent_id: AgentIdDep, who: PrincipalDep, scope: ScopeDep, request: Request, day: date | None = DayQuery
) -> AgentSchedule:
    if who.role == "supervisor":
        agent = request.app.state.engine.read.agent(agent_id)  # 404 when unknown
        if not _serves(request, scope, who, agent):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"{agent_id} serves none of your queues")
    with _day_checked(day):
        return _workforce(request).schedule_of(agent_id, day)


@router.put(
    "/v1/agents/{agent_id}/schedule",
    response_model=AgentSchedule,
    responses=ERRORS,
    summary="Edit an agent's schedule for a day (a schedule exception: a break moved, a meeting added)",
    description="A supervisor of a queue the agent serves. The activities in order, within the shift, without "
    "overlap; adherence measures the agent against it from now on. 404: an unknown agent; 422: a day out of range "
    "or activities out of order.",
)
async def edit_schedule(
    agent_id: AgentIdDep, body: AgentSchedule, who: SupervisorDep, scope: ScopeDep, request: Request
) -> AgentSchedule:
    agent = request.app.state.engine.read.agent(agent_id)  # 404 when unknown
    if not _serves(request, scope, who, agent):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"{agent_id} serves none of your queues")
    with _day_checked(body.day):
        edited = _workforce(request).edit(agent_id, body)
    adherence: Adherence = request.app.state.adherence
    adherence.rescheduled(agent_id)
    return edited


@router.get(
    "/v1/workforce/adherence",
    response_model=AdherenceSnapshot,
    responses=ERRORS,
    summary="Real-time adherence now: each agent's scheduled activity against their state, and per team",
    description="Supervisors: the agents with a skill of one of their queues. Changes come on the supervisor "
    "stream as `adherence` events (one agent's row each).",
)
async def adherence(who: SupervisorDep, scope: ScopeDep, request: Request) -> AdherenceSnapshot:
    queues = scope.queues(who)
    service: Adherence = request.app.state.adherence
    return service.snapshot(lambda row: queues is None or bool(set(row.queue_ids) & set(queues)))


def _serves(request: Request, scope: Scope, who: Principal, agent: Agent) -> bool:
    """Whether the agent has a skill of one of the supervisor's queues."""
    queues = scope.queues(who)
    if queues is None:
        return True
    skills = {skill for q in request.app.state.engine.read.queues() if q.id in queues for skill in q.skills}
    return bool(skills & set(agent.skills))
