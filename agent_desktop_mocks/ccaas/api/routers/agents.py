"""An agent's own resources: state, pending offers, contacts in hand and the event stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from starlette.responses import StreamingResponse

from agent_desktop_mocks.ccaas.api.answer_events import EVENT_IDS_RESPONSE, answered
from agent_desktop_mocks.ccaas.api.dependencies import (
    AgentIdDep,
    AgentViewDep,
    EngineDep,
    EventLogDep,
    PrincipalDep,
    SupervisorDep,
)
from agent_desktop_mocks.ccaas.core.wire.requests import AgentPatch, NextStateChange, StateChange
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Colleague, Conflict, Contact, Message, Offer
from agent_desktop_mocks.ccaas.figures.agent_days import AgentDay, AgentDays
from agent_desktop_mocks.ccaas.shell.engine import agent_topic
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/agents", tags=["agents"])

SSE_RESPONSE: Responses = {
    200: {
        "content": {"text/event-stream": {}},
        "description": "Server-Sent Events; resume with `Last-Event-ID`; `: heartbeat` comments keep the link alive",
    }
}


@router.get(
    "",
    response_model=list[Colleague],
    summary="The transfer directory: every agent with their state and the queues they serve (any agent)",
)
async def directory(_: PrincipalDep, engine: EngineDep) -> list[Colleague]:
    serves: dict[str, list[str]] = {}
    for queue in engine.read.queues():
        for agent_id in engine.read.eligible_agents(queue.id):
            serves.setdefault(agent_id, []).append(queue.id)
    return [
        Colleague(
            id=a.id, name=a.name, state=a.state, reason=a.reason, state_since=a.state_since, queues=serves.get(a.id, [])
        )
        for a in engine.read.agents()
    ]


@router.get("/{agent_id}", response_model=Agent, responses={404: {"model": Message}})
async def get_agent(agent_id: AgentIdDep, engine: EngineDep) -> Agent:
    return engine.read.agent(agent_id)


@router.patch(
    "/{agent_id}",
    response_model=Agent,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="Change an agent's per-channel capacity or skill proficiencies (supervisor)",
)
async def patch_agent(agent_id: str, body: AgentPatch, _: SupervisorDep, engine: EngineDep) -> Agent:
    capacity = {channel.value: n for channel, n in (body.capacity or {}).items()}
    return engine.supervisor.update_agent(agent_id, capacity=capacity, proficiency=body.proficiency)


@router.put(
    "/{agent_id}/state",
    response_model=Agent,
    responses={200: EVENT_IDS_RESPONSE, 404: {"model": Message}, 409: {"model": Conflict}},
    summary="Set the agent available, not ready (with a reason) or offline",
    description="A supervisor may sign out (offline) an agent with an offer pending: the offer is cancelled.",
)
async def set_state(
    agent_id: AgentIdDep,
    change: StateChange,
    who: PrincipalDep,
    engine: EngineDep,
    events: EventLogDep,
    response: Response,
) -> Agent:
    def change_state() -> Agent:
        return engine.agents.set_agent_state(
            agent_id, change.state, change.reason, by_supervisor=who.role == "supervisor"
        )

    return answered(events, who, response, change_state)


@router.put(
    "/{agent_id}/next-state",
    response_model=Agent,
    responses={200: EVENT_IDS_RESPONSE, 404: {"model": Message}, 409: {"model": Conflict}},
    summary="The state to take when the last contact in hand is completed (null clears it)",
)
async def set_next_state(
    agent_id: AgentIdDep,
    change: NextStateChange,
    who: PrincipalDep,
    engine: EngineDep,
    events: EventLogDep,
    response: Response,
) -> Agent:
    return answered(events, who, response, lambda: engine.agents.set_next_state(agent_id, change.state, change.reason))


@router.get("/{agent_id}/offers", response_model=list[Offer], summary="Pending offers")
async def offers(agent_id: AgentViewDep, engine: EngineDep) -> list[Offer]:
    return engine.read.pending_offers(agent_id)


@router.get("/{agent_id}/contacts", response_model=list[Contact], summary="Contacts in hand (connected, on hold, ACW)")
async def contacts(agent_id: AgentViewDep, engine: EngineDep) -> list[Contact]:
    return engine.read.contacts_in_hand(agent_id)


@router.get(
    "/{agent_id}/day",
    response_model=AgentDay,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="The agent's own day: states since midnight, offers made, accepted, rejected and missed, contacts today",
    description="The agent alone (another agent's token is refused), or a supervisor of every queue.",
)
async def day(agent_id: AgentViewDep, engine: EngineDep, request: Request) -> AgentDay:
    agent = engine.read.agent(agent_id)
    days: AgentDays = request.app.state.agent_days
    return days.day(agent, engine.read.contacts_today(agent_id), engine.read.now())


@router.get(
    "/{agent_id}/events",
    response_class=StreamingResponse,
    responses=SSE_RESPONSE,
    summary="The agent's events: agent_state, offer, offer_closed, contact (and conversation and call transcription events)",
)
async def events(
    agent_id: AgentViewDep,
    engine: EngineDep,
    event_log: EventLogDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    engine.read.agent(agent_id)
    return event_log.response(agent_topic(agent_id), last_event_id)
