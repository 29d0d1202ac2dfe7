"""Messaging: an agent sends a customer an SMS or an email (a follow-up), idempotent on a key, and reads
its delivery status. A new message is checked as it arrives (messaging/recipients.py: a customer the agent handled,
who consents to the channel now) and its body masked before it is stored."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Header, Request, Response, status

from agent_desktop_mocks.ccaas.api.dependencies import EngineDep, PrincipalDep
from agent_desktop_mocks.ccaas.core.wire.schemas import Message as Refusal
from agent_desktop_mocks.ccaas.messaging.recipients import check_recipient
from agent_desktop_mocks.ccaas.messaging.schemas import Message, MessageCreate
from agent_desktop_mocks.ccaas.messaging.service import MessagingService
from agent_desktop_pci import mask_pci

router = APIRouter(prefix="/v1/messages", tags=["messaging"])


def _messaging(request: Request) -> MessagingService:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(MessagingService, request.app.state.messaging)


@router.post(
    "",
    response_model=Message,
    status_code=201,
    responses={
        200: {"model": Message},
        403: {"model": Refusal},
        409: {"model": Refusal},
        503: {"model": Refusal},
    },
    summary="Send a customer an SMS or an email: queued at once, then sent and delivered (or failed)",
    description="Agents only, to a customer of the CRM they handled a contact of, who consents to the channel now "
    "(422 naming `to`: no such customer, or no consent; 403: not a customer of theirs; 503: the CRM cannot say). "
    "The body's card data is masked before it is stored. The same `Idempotency-Key` again answers the first "
    "message (200), sent once; with another message: 409.",
)
async def send(
    body: MessageCreate,
    who: PrincipalDep,
    engine: EngineDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=200)],
) -> Message:
    messaging = _messaging(request)
    body = body.model_copy(update={"body": mask_pci(body.body)})
    if messaging.replayed(who, body, idempotency_key) is None:  # a retry of one sent is answered, not checked again
        await check_recipient(request.app.state.recipients, engine, who.subject, body.channel, body.to)
    message, new = messaging.send(who, body, idempotency_key)
    if not new:
        response.status_code = status.HTTP_200_OK
    return message


@router.get(
    "/{message_id}",
    response_model=Message,
    responses={403: {"model": Refusal}, 404: {"model": Refusal}},
    summary="A message the agent sent, with its delivery status now",
)
async def get(message_id: str, who: PrincipalDep, request: Request) -> Message:
    return _messaging(request).get(who, message_id)
