"""Help from the supervisor: flags on contacts with their private thread, and broadcasts."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse

from agent_desktop_mocks.ccaas.api.dependencies import PrincipalDep
from agent_desktop_mocks.ccaas.api.write_keys import REPLAY_DOC, OptionalIdempotencyKey, write_keys
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Message
from agent_desktop_mocks.ccaas.flags.schemas import Broadcast, BroadcastCreate, Flag, FlagCreate, FlagLineCreate
from agent_desktop_mocks.ccaas.flags.service import FlagService
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(tags=["flags"])

REFUSALS: Responses = {403: {"model": Message}, 404: {"model": Message}, 409: {"model": Conflict}}


async def get_flags(request: Request) -> FlagService:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(FlagService, request.app.state.flags)


FlagsDep = Annotated[FlagService, Depends(get_flags)]


@router.post(
    "/v1/contacts/{contact_id}/flags",
    response_model=Flag,
    status_code=status.HTTP_201_CREATED,
    responses=REFUSALS,
    summary="The contact's agent raises a flag on it with a line of text (help from the supervisor)",
    description="Only the contact's agent (403 otherwise), on a contact in hand (409 otherwise), one open flag per "
    "contact (409 `flagged`: add a line to it). `flag_raised` goes to the agent's stream and to the supervisors "
    "of the contact's queue." + REPLAY_DOC,
)
async def raise_flag(
    contact_id: str,
    body: FlagCreate,
    who: PrincipalDep,
    flags: FlagsDep,
    request: Request,
    idempotency_key: OptionalIdempotencyKey = None,
) -> Flag | JSONResponse:
    return write_keys(request).write(
        who,
        idempotency_key,
        f"flag on {contact_id}",
        body,
        lambda: flags.raise_flag(contact_id, who, body.text),
        status.HTTP_201_CREATED,
    )


@router.get(
    "/v1/flags",
    response_model=list[Flag],
    responses={403: {"model": Message}},
    summary="An agent's own flags; a supervisor's: the open flags of their queues. Oldest first",
)
async def list_flags(who: PrincipalDep, flags: FlagsDep) -> list[Flag]:
    return flags.flags_of(who)


@router.post(
    "/v1/flags/{flag_id}/lines",
    response_model=Flag,
    responses=REFUSALS,
    summary="A line of the flag's private thread, from its agent or a supervisor of its queue (`flag_line`)",
    description=REPLAY_DOC.strip(),
)
async def add_line(
    flag_id: str,
    body: FlagLineCreate,
    who: PrincipalDep,
    flags: FlagsDep,
    request: Request,
    idempotency_key: OptionalIdempotencyKey = None,
) -> Flag | JSONResponse:
    return write_keys(request).write(
        who,
        idempotency_key,
        f"line of {flag_id}",
        body,
        lambda: flags.add_line(flag_id, who, body.text),
        status.HTTP_200_OK,
    )


@router.post(
    "/v1/flags/{flag_id}/close",
    response_model=Flag,
    responses=REFUSALS,
    summary="Close the flag: its agent or a supervisor of its queue (409 if closed already; `flag_closed`)",
)
async def close_flag(flag_id: str, who: PrincipalDep, flags: FlagsDep) -> Flag:
    return flags.close(flag_id, who)


@router.post(
    "/v1/broadcasts",
    response_model=Broadcast,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="A supervisor's short message to a queue's agents, or to every agent of their queues, until it expires",
    description="403 for a queue outside the supervisor's queues; `broadcast` on each targeted agent's stream.",
)
async def broadcast(body: BroadcastCreate, who: PrincipalDep, flags: FlagsDep) -> Broadcast:
    return flags.broadcast(who, body.text, body.minutes, body.queue_id)
