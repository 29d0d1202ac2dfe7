"""Contacts: hold, transfer, consult, end and wrap up (their agent or a supervisor); new ones and moves (supervisor)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from mock_backends.ccaas.dependencies import EngineDep, PrincipalDep, SupervisorDep, require_handler
from mock_backends.ccaas.schemas import (
    CallbackRequest,
    Completion,
    Conflict,
    Contact,
    ContactCreate,
    Message,
    MoveRequest,
    TransferRequest,
)

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])

ERRORS = {403: {"model": Message}, 404: {"model": Message}, 409: {"model": Conflict}}


@router.post(
    "",
    response_model=Contact,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Message}},
    summary="Put a new contact in a queue (tests and demos)",
)
async def create(body: ContactCreate, _: SupervisorDep, engine: EngineDep) -> Contact:
    return engine.create_contact(
        body.queue_id, body.channel, body.from_address, body.subject, priority=body.priority, attached=body.attached
    )


@router.get("/{contact_id}", response_model=Contact, responses=ERRORS, summary="A contact (its agent, a supervisor)")
async def get(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    contact = engine.contact(contact_id)
    require_handler(who, contact.agent_id)
    return contact


@router.post("/{contact_id}/hold", response_model=Contact, responses=ERRORS, summary="Hold (409 unless connected)")
async def hold(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    return engine.hold(contact_id)


@router.post("/{contact_id}/resume", response_model=Contact, responses=ERRORS, summary="Take off hold")
async def resume(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    return engine.resume(contact_id)


@router.post(
    "/{contact_id}/transfer",
    response_model=Contact,
    responses=ERRORS,
    summary="Blind transfer to a queue, an agent or an address",
)
async def transfer(
    contact_id: str, body: TransferRequest, who: PrincipalDep, engine: EngineDep, request: Request
) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    request.app.state.conversations.note_transfer(contact_id, who, body.note)
    return engine.transfer(contact_id, body.target)


@router.post(
    "/{contact_id}/consult",
    response_model=Contact,
    responses=ERRORS,
    summary="Consult: the customer waits on hold while a second leg rings the target",
)
async def consult(
    contact_id: str, body: TransferRequest, who: PrincipalDep, engine: EngineDep, request: Request
) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    request.app.state.conversations.note_transfer(contact_id, who, body.note)
    return engine.consult(contact_id, body.target)


@router.post(
    "/{contact_id}/consult/complete",
    response_model=Contact,
    responses=ERRORS,
    summary="Complete the consult: the contact goes to the target",
)
async def complete_consult(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    return engine.complete_consult(contact_id)


@router.post(
    "/{contact_id}/consult/cancel",
    response_model=Contact,
    responses=ERRORS,
    summary="Cancel the consult: back to the customer",
)
async def cancel_consult(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    return engine.cancel_consult(contact_id)


@router.post("/{contact_id}/end", response_model=Contact, responses=ERRORS, summary="End: after-contact work")
async def end(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    return engine.end(contact_id)


@router.post(
    "/{contact_id}/complete",
    response_model=Contact,
    responses=ERRORS,
    summary="Complete with a disposition of the queue; the agent takes their next state",
)
async def complete(contact_id: str, body: Completion, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_handler(who, engine.contact(contact_id).agent_id)
    return engine.complete(contact_id, body.disposition)


@router.post(
    "/{contact_id}/abandon",
    response_model=Contact,
    responses=ERRORS,
    summary="The caller gives up while queued or offered (supervisor; tests and demos)",
)
async def abandon(contact_id: str, _: SupervisorDep, engine: EngineDep) -> Contact:
    return engine.abandon(contact_id)


@router.post(
    "/{contact_id}/move",
    response_model=Contact,
    responses=ERRORS,
    summary="Move a queued contact to another queue, keeping its wait (supervisor)",
)
async def move(contact_id: str, body: MoveRequest, _: SupervisorDep, engine: EngineDep) -> Contact:
    return engine.move(contact_id, body.queue_id)


@router.post(
    "/{contact_id}/callback",
    response_model=Contact,
    responses=ERRORS,
    summary="The waiting caller takes the callback offered: they keep their place and are dialled later",
)
async def callback(contact_id: str, body: CallbackRequest, _: SupervisorDep, engine: EngineDep) -> Contact:
    return engine.request_callback(contact_id, body.number, body.reason)
