"""The supervisor's view: the floor, each agent's day, statistics history and every event, each kept to the
supervisor's queues (scope.py): the contacts of other queues are left out of the lists and the stream."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import StreamingResponse

from agent_desktop_mocks.ccaas.api.dependencies import EngineDep, EventLogDep, ScopeDep, SupervisorDep
from agent_desktop_mocks.ccaas.api.routers.agents import SSE_RESPONSE
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentActivity, Contact, Message, StatsSample
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC, Engine, NotFound

router = APIRouter(prefix="/v1/supervisor", tags=["supervisor"], responses={403: {"model": Message}})


@router.get("/agents", response_model=list[AgentActivity], summary="Every agent with the contacts in their hands")
async def agents(who: SupervisorDep, engine: EngineDep, scope: ScopeDep) -> list[AgentActivity]:
    return [
        activity.model_copy(update={"contacts": [c for c in activity.contacts if scope.keeps(who, c.queue_id)]})
        for activity in engine.read.agents_overview()
    ]


@router.get(
    "/agents/{agent_id}/contacts/today",
    response_model=list[Contact],
    responses={404: {"model": Message}},
    summary="Every contact the agent handled since midnight, newest first",
)
async def contacts_today(agent_id: str, who: SupervisorDep, engine: EngineDep, scope: ScopeDep) -> list[Contact]:
    return [contact for contact in engine.read.contacts_today(agent_id) if scope.keeps(who, contact.queue_id)]


@router.get(
    "/recordings/paused",
    response_model=list[str],
    summary="The calls whose recording the agent has paused now (card data read out), by contact id",
    description="The supervisor's queues only; the `recording` events on the stream say each pause and resume after.",
)
async def paused_recordings(who: SupervisorDep, engine: EngineDep, scope: ScopeDep, request: Request) -> list[str]:
    paused: set[str] = request.app.state.voice_leg.recordings.paused()
    return sorted(contact_id for contact_id in paused if scope.keeps(who, _contact_queue(engine, contact_id)))


def _contact_queue(engine: Engine, contact_id: str) -> str:
    try:
        return engine.read.contact(contact_id).queue_id
    except NotFound:
        return "?"  # a contact no longer known: in no supervisor's queues


@router.get(
    "/stats/history",
    response_model=list[StatsSample],
    summary="One sample per queue per minute (waiting, 15-minute service level), oldest first",
)
async def history(
    who: SupervisorDep, engine: EngineDep, scope: ScopeDep, minutes: Annotated[int, Query(ge=1, le=1440)] = 30
) -> list[StatsSample]:
    return [sample for sample in engine.history(minutes) if scope.keeps(who, sample.queue_id)]


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses=SSE_RESPONSE,
    summary="Every event, plus queue_stats every 2 s with the queues whose figures changed",
)
async def events(
    who: SupervisorDep,
    event_log: EventLogDep,
    engine: EngineDep,
    scope: ScopeDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    response = event_log.response(SUPERVISOR_TOPIC, last_event_id)
    if scope.queues(who) is not None:
        response.body_iterator = scope.stream(
            who, response.body_iterator, lambda data, queues: as_seen_by(engine, data, queues)
        )
    return response


FIGURES = ("today", "last_30m")  # the lists of a `queue_stats` event, a row a queue


def as_seen_by(engine: Engine, data: dict[str, Any], queues: list[str]) -> dict[str, Any] | None:
    """An event of the supervisors' stream as a supervisor of `queues` reads it: every event about a contact
    (its state, offer, messages, typing, recording, call coaching, flags, alerts...) only where the contact is in
    one of their queues; an agent's adherence where the agent serves one; queue figures cut to their queues' rows
    (none left: no event). None: not theirs."""
    if data.get("type") == "queue_stats":
        rows = {key: [row for row in data.get(key) or [] if row.get("queue_id") in queues] for key in FIGURES}
        return {**data, **rows} if any(rows.values()) else None
    queue = _queue_of(engine, data)
    if queue is None:
        return data
    kept = any(q in queues for q in queue) if isinstance(queue, list) else queue in queues
    return data if kept else None


def _queue_of(engine: Engine, data: dict[str, Any]) -> str | list[str] | None:
    """The queue of the contact an event is about (None: about no contact: an agent's state, queue figures); an
    agent's adherence: the queues they serve."""
    if data.get("type") == "adherence":
        return [str(q) for q in data.get("queue_ids") or []]
    contact = data.get("contact") or (data.get("offer") or {}).get("contact")
    if isinstance(contact, dict):
        return str(contact.get("queue_id"))
    contact_id = data.get("contact_id")
    if not isinstance(contact_id, str):
        return None
    try:
        return engine.read.contact(contact_id).queue_id
    except NotFound:
        return "?"  # a contact no longer known: in no supervisor's queues
