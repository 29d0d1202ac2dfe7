"""Supervisors on contacts: monitor, whisper, barge, leave; the participants; what the customer sees."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Header, Request, Response, status
from starlette.responses import StreamingResponse

from agent_desktop_mocks.ccaas.api.dependencies import EventLogDep, PrincipalDep
from agent_desktop_mocks.ccaas.api.routers.agents import SSE_RESPONSE
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Contact, Message
from agent_desktop_mocks.ccaas.monitoring.schemas import (
    CustomerView,
    Monitoring,
    MonitorRequest,
    Participants,
    SupervisorMessageCreate,
)
from agent_desktop_mocks.ccaas.monitoring.service import MonitoringService, monitor_topic
from agent_desktop_mocks.ccaas.voice.softphones import Softphones
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(tags=["monitoring"])

REFUSALS: Responses = {403: {"model": Message}, 404: {"model": Message}, 409: {"model": Conflict}}


async def get_monitoring(request: Request) -> MonitoringService:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(MonitoringService, request.app.state.monitoring)


MonitoringDep = Annotated[MonitoringService, Depends(get_monitoring)]


@router.put(
    "/v1/contacts/{contact_id}/monitoring",
    response_model=Monitoring,
    responses=REFUSALS,
    summary="A supervisor joins a contact in progress in a mode (monitor, whisper, barge), or changes mode",
    description="Only a supervisor's token, and only for a contact of one of the supervisor's queues (403 "
    "otherwise, with the reason); 409 unless the contact is connected or on hold. Monitoring reads the "
    "transcript and its events without moving any read marker: the customer gets no read receipt. The agent "
    "is told (`supervisor_joined` on their stream) when the policy announces monitoring (`--announce-monitoring`) "
    "or the supervisor whispers or barges; a barging supervisor joins a chat's transcript, seen by the customer.",
)
async def join(contact_id: str, body: MonitorRequest, who: PrincipalDep, monitoring: MonitoringDep) -> Monitoring:
    return monitoring.join(contact_id, who, body.mode)


@router.delete(
    "/v1/contacts/{contact_id}/monitoring",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=REFUSALS,
    summary="The supervisor leaves the contact (404 if not on it)",
)
async def leave(contact_id: str, who: PrincipalDep, monitoring: MonitoringDep) -> Response:
    monitoring.leave(contact_id, who)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/contacts/{contact_id}/monitoring/takeover",
    response_model=Contact,
    responses={**REFUSALS, 422: {"description": "Not a call"}},
    summary="The supervisor on a call takes it over: the caller goes on with them, the agent goes to wrap-up",
    description="A supervisor of the contact's queue who is on the call (monitoring, whispering or barging) and has "
    "a softphone registered (`PUT /v1/supervisor/softphone`). The contact ends for its agent as `ended_by: "
    "takeover`, with `taken_over_by` naming the supervisor (on the agent's stream as a `contact` event), and goes to "
    "their wrap-up; the caller's audio moves to the supervisor's softphone (on a real call, docs/voice.md); the "
    "supervisors on it leave with `reason: taken_over`. 409 says why not: the call is no longer in progress, you are "
    "not on it, you have no softphone; 422 for a chat, SMS or email.",
)
async def take_over(contact_id: str, who: PrincipalDep, monitoring: MonitoringDep, request: Request) -> Contact:
    softphones: Softphones = request.app.state.supervisor_softphones
    return monitoring.take_over(contact_id, who, softphone=softphones.contact(who.subject) is not None)


@router.get(
    "/v1/contacts/{contact_id}/participants",
    response_model=Participants,
    responses=REFUSALS,
    summary="Who is on the contact: customer, agent, supervisors with their modes",
    description="A supervisor of the contact's queue, or its agent (who sees a silent monitor only when the "
    "policy announces monitoring).",
)
async def participants(contact_id: str, who: PrincipalDep, monitoring: MonitoringDep) -> Participants:
    return monitoring.participants(contact_id, who)


@router.post(
    "/v1/contacts/{contact_id}/whispers",
    response_model=TranscriptItem,
    status_code=status.HTTP_201_CREATED,
    responses={**REFUSALS, 422: {"description": "Over the channel's limit"}},
    summary="The supervisor whispers to the agent: a transcript item of kind `whisper`, never the customer's",
    description="The supervisor must be on the contact (409 otherwise); monitoring becomes whisper. Card data "
    "is masked. Chat, SMS and email only (404 for a call: its audio is not this API's).",
)
async def whisper(
    contact_id: str, body: SupervisorMessageCreate, who: PrincipalDep, monitoring: MonitoringDep
) -> TranscriptItem:
    return monitoring.whisper(contact_id, who, body.text)


@router.post(
    "/v1/contacts/{contact_id}/supervisor-messages",
    response_model=TranscriptItem,
    status_code=status.HTTP_201_CREATED,
    responses={**REFUSALS, 422: {"description": "Over the channel's limit"}},
    summary="The supervisor writes to the customer under their own name (barging in first if they were not)",
)
async def barge_message(
    contact_id: str, body: SupervisorMessageCreate, who: PrincipalDep, monitoring: MonitoringDep
) -> TranscriptItem:
    return monitoring.barge_message(contact_id, who, body.text)


@router.get(
    "/v1/contacts/{contact_id}/customer-view",
    response_model=CustomerView,
    responses=REFUSALS,
    summary="What the customer's side shows: the transcript without whispers, who takes part, the read receipt",
    description="The contact center's own side (a supervisor's token), as for `customer-messages`.",
)
async def customer_view(contact_id: str, who: PrincipalDep, monitoring: MonitoringDep) -> CustomerView:
    return monitoring.customer_view(contact_id, who)


@router.get(
    "/v1/supervisor/monitoring",
    response_model=list[Monitoring],
    responses={403: {"model": Message}},
    summary="The contacts this supervisor is on, with their modes",
)
async def sessions(who: PrincipalDep, monitoring: MonitoringDep) -> list[Monitoring]:
    return monitoring.sessions_of(who)


@router.get(
    "/v1/supervisor/monitoring/events",
    response_class=StreamingResponse,
    responses={**SSE_RESPONSE, 403: {"model": Message}},
    summary="This supervisor's monitoring: supervisor_joined/mode_changed/left and every conversation event "
    "(message, typing, delivered, read, participants) and call transcription of the contacts they are on",
)
async def events(
    who: PrincipalDep,
    event_log: EventLogDep,
    monitoring: MonitoringDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    row = monitoring.supervisor(who)
    return event_log.response(monitor_topic(row.id), last_event_id)
