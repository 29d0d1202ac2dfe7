"""Calls the agent places: the caller IDs a queue's calls may show, and a call placed, a voice
contact in the agent's hands at once; a direct call to a colleague of the directory at the softphone registered for
their address (docs/voice.md "Calls the agent places", "A call to a colleague")."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.api.dependencies import AgentIdDep, EngineDep, PrincipalDep, SupervisorDep
from agent_desktop_mocks.ccaas.api.write_keys import REPLAY_DOC, OptionalIdempotencyKey, write_keys
from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.core.wire.requests import InternalCallRequest, PlaceCallRequest
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, Message
from agent_desktop_mocks.ccaas.voice.contact_uri import ContactUriError, parse_contact_uri
from agent_desktop_mocks.ccaas.voice.softphones import Softphones
from agent_desktop_mocks.common.http.auth import Principal

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

    def place() -> Contact:
        return engine.contacts.place_call(agent_id, body.queue_id, body.number, body.caller_id)

    return await _placed(request, who, idempotency_key, agent_id, body, place)


async def _placed(
    request: Request,
    who: Principal,
    idempotency_key: str | None,
    agent_id: str,
    body: BaseModel,
    place: Callable[[], Contact],
    line: str | None = None,
) -> PlacedCall | JSONResponse:
    """A call placed once per idempotency key (a replay answers as before), and on the real voice path what the agent's
    softphone dials for its leg (`line`: a colleague's softphone; else the number's line)."""
    placed: list[Contact] = []

    def answer_of_placed() -> PlacedCall:
        placed.append(place())
        return PlacedCall.model_validate(placed[0].model_dump())

    answer = write_keys(request).write(who, idempotency_key, f"calls of {agent_id}", body, answer_of_placed, 201)
    voice_leg = getattr(request.app.state, "voice_leg", None)
    if placed and voice_leg is not None and isinstance(answer, PlacedCall):  # placed now, not a replay
        answer.dial_uri = await voice_leg.place(placed[0], line)
    return answer


class ColleagueSoftphone(BaseModel):
    address: str = Field(
        max_length=200,
        pattern=r"^sip:[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,120}$",
        description="The colleague's directory address (the presence directory's `address`)",
    )
    contact_uri: str = Field(
        max_length=256, description="Where their softphone answers: `sip:[user@]127.x.y.z[:port]`, loopback only"
    )


def _colleagues(request: Request) -> Softphones:
    softphones: Softphones = request.app.state.colleague_softphones
    return softphones


@router.put(
    "/v1/colleagues/softphone",
    response_model=ColleagueSoftphone,
    responses={403: {"model": Message}},
    summary="Bind a colleague's directory address to their softphone, as a registrar binds an address of record",
    description="A supervisor's (the directory's administration). Internal calls to `address` ring `contact_uri` "
    "(IPv4 loopback only: 422 otherwise). Replaces an earlier one.",
)
async def register_colleague(
    body: ColleagueSoftphone, _: SupervisorDep, engine: EngineDep, request: Request
) -> ColleagueSoftphone:
    try:
        contact = parse_contact_uri(body.contact_uri)
    except ContactUriError as error:
        raise Invalid("contact_uri", str(error), body.contact_uri) from None
    _colleagues(request).register(body.address, contact, engine.read.now())
    return ColleagueSoftphone(address=body.address, contact_uri=contact.uri)


@router.delete(
    "/v1/colleagues/softphone",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="Forget a colleague's softphone: internal calls to their address are refused (404) again",
)
async def forget_colleague(address: str, _: SupervisorDep, request: Request) -> Response:
    if not _colleagues(request).forget(address):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no softphone is registered for {address}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/agents/{agent_id}/calls/internal",
    response_model=PlacedCall,
    status_code=201,
    responses={403: {"model": Message}, 404: {"model": Message}, 409: {"model": Message}},
    summary="Call a colleague of the directory: a voice contact in the agent's hands at once, `colleague` named",
    description="The agent alone, for themselves. 422: an address that is not a plain `sip:user@domain`, a name "
    "missing; 404: an unknown queue, or no softphone registered for the address (the colleague cannot be rung); "
    "409: the agent offline, an offer waiting, another call connected (hold it first), the colleague already on an "
    "internal call through the contact center. The colleague's presence is the directory's (the desk refuses a "
    "colleague not free before it asks)." + REPLAY_DOC,
)
async def place_internal(
    agent_id: AgentIdDep,
    body: InternalCallRequest,
    who: PrincipalDep,
    engine: EngineDep,
    request: Request,
    idempotency_key: OptionalIdempotencyKey = None,
) -> PlacedCall | JSONResponse:
    if who.role != "agent":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "an agent places their own calls")
    line = _colleagues(request).contact(body.address)
    if line is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"{body.name} has no softphone registered with the contact center"
        )

    def place() -> Contact:
        return engine.contacts.place_internal_call(agent_id, body.queue_id, body.address, body.name)

    return await _placed(request, who, idempotency_key, agent_id, body, place, line.uri)
