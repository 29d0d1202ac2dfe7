"""Contacts: ending and wrapping up (their agent), putting new ones in a queue (supervisor)."""

from __future__ import annotations

from fastapi import APIRouter, status

from mock_backends.ccaas.dependencies import EngineDep, PrincipalDep, SupervisorDep, require_owner
from mock_backends.ccaas.schemas import Completion, Conflict, Contact, ContactCreate, Message

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
    return engine.create_contact(body.queue_id, body.channel, body.from_address, body.subject)


@router.post("/{contact_id}/end", response_model=Contact, responses=ERRORS, summary="End: after-contact work")
async def end(contact_id: str, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_owner(who, engine.contact(contact_id).agent_id, "contact")
    return engine.end(contact_id)


@router.post(
    "/{contact_id}/complete",
    response_model=Contact,
    responses=ERRORS,
    summary="Complete with a disposition of the queue; the agent goes available",
)
async def complete(contact_id: str, body: Completion, who: PrincipalDep, engine: EngineDep) -> Contact:
    require_owner(who, engine.contact(contact_id).agent_id, "contact")
    return engine.complete(contact_id, body.disposition)
