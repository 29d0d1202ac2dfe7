"""Calls the agent places: the caller IDs a queue's calls may show, and a call placed, a voice
contact in the agent's hands at once (docs/voice.md "Calls the agent places")."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.api.dependencies import AgentIdDep, EngineDep, PrincipalDep
from agent_desktop_mocks.ccaas.api.write_keys import REPLAY_DOC, OptionalIdempotencyKey, write_keys
from agent_desktop_mocks.ccaas.core.wire.requests import PlaceCallRequest
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, Message

router = APIRouter(tags=["placed calls"])


class PlacedCall(Contact):
    dial_uri: str | None = Field(
        default=None,
        description="Where the agent's registered softphone dials to take the call's agent leg (the mock's SIP proxy, "
        "which rings the number's line); null: no softphone registered, or no line on this machine (simulated)",
    )


class CallerIds(BaseModel):
    queue_id: str
    caller_ids: list[str] = Field(description="E.164, the first the default; empty: the queue places no calls")


@router.get(
    "/v1/queues/{queue_id}/caller-ids",
    response_model=CallerIds,
    responses={404: {"model": Message}},
    summary="The numbers a call placed for this queue may show as its caller ID, the default first",
)
async def caller_ids(queue_id: str, _: PrincipalDep, engine: EngineDep) -> CallerIds:
    return CallerIds(queue_id=queue_id, caller_ids=list(engine.read.queue(queue_id).caller_ids))


@router.post(
    "/v1/agents/{agent_id}/calls",
    response_model=PlacedCall,
    status_code=201,
    responses={403: {"model": Message}, 404: {"model": Message}, 409: {"model": Message}},
    summary="Place a call: a voice contact in the agent's hands at once, outbound, showing the chosen caller ID",
    description="The agent alone, for themselves. 422: a number not in E.164 (+ then 8 to 15 digits that some country "
    "dials), a caller ID not on the queue's list; 404: an unknown queue; 409: the agent offline, an offer waiting, "
    "another call connected (a second call only while every other call is on hold; the 409 names the one that "
    "talks), a queue with no caller ID." + REPLAY_DOC,
)
async def place(
    agent_id: AgentIdDep,
    body: PlaceCallRequest,
    who: PrincipalDep,
    engine: EngineDep,
    request: Request,
    idempotency_key: OptionalIdempotencyKey = None,
) -> PlacedCall | JSONResponse:
    if who.role != "agent":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "an agent places their own calls")
    placed: list[Contact] = []

    def place() -> PlacedCall:
        placed.append(engine.contacts.place_call(agent_id, body.queue_id, body.number, body.caller_id))
        return PlacedCall.model_validate(placed[0].model_dump())

    answer = write_keys(request).write(who, idempotency_key, f"calls of {agent_id}", body, place, 201)
    voice_leg = getattr(request.app.state, "voice_leg", None)
    if placed and voice_leg is not None and isinstance(answer, PlacedCall):  # placed now, not a replay
        answer.dial_uri = await voice_leg.place(placed[0])
    return answer
