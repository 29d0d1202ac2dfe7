"""Contacts: hold, transfer, consult, end and wrap up (their agent or a supervisor); new ones and moves (supervisor)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response, status

from agent_desktop_mocks.ccaas.api.answer_events import EVENT_IDS_RESPONSE, answered
from agent_desktop_mocks.ccaas.api.dependencies import (
    EngineDep,
    EventLogDep,
    HandledContactDep,
    PrincipalDep,
    ScopeDep,
    SupervisorDep,
)
from agent_desktop_mocks.ccaas.core.wire.requests import (
    CallbackRequest,
    Completion,
    ContactCreate,
    MoveRequest,
    TransferRequest,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Contact, Message
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])

ERRORS: Responses = {403: {"model": Message}, 404: {"model": Message}, 409: {"model": Conflict}}
# The contact's agent's steps: their answer names its events.
ACTION_ANSWERS: Responses = {200: EVENT_IDS_RESPONSE, **ERRORS}


@router.post(
    "",
    response_model=Contact,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Message}},
    summary="Put a new contact in a queue (tests and demos)",
)
async def create(body: ContactCreate, who: SupervisorDep, engine: EngineDep, scope: ScopeDep) -> Contact:
    scope.check_queue(who, body.queue_id)
    return engine.arrivals.create_contact(
        body.queue_id, body.channel, body.from_address, body.subject, priority=body.priority, attached=body.attached
    )


@router.get("/{contact_id}", response_model=Contact, responses=ERRORS, summary="A contact (its agent, a supervisor)")
async def get(contact: HandledContactDep) -> Contact:
    return contact


Endpoint = Callable[..., Awaitable[Contact]]
Command = Callable[[Engine], Callable[..., Contact]]  # the engine's command, named on the engine a request is given


def _step(path: str, name: str, summary: str, command: Command) -> Endpoint:
    """A route for one step the contact's agent (or a supervisor) takes: the engine's `command` on the contact."""

    async def step(
        contact: HandledContactDep, engine: EngineDep, who: PrincipalDep, events: EventLogDep, response: Response
    ) -> Contact:
        return answered(events, who, response, lambda: command(engine)(contact.id))

    return _route(path, name, summary, step)


def _hand_over(name: str, summary: str, command: Command) -> Endpoint:
    """A route handing the contact to a target, with a note the conversation keeps (transfer, consult)."""

    async def hand_over(
        contact: HandledContactDep,
        body: TransferRequest,
        who: PrincipalDep,
        engine: EngineDep,
        request: Request,
        events: EventLogDep,
        response: Response,
    ) -> Contact:
        request.app.state.conversations.note_transfer(contact.id, who, body.note)
        return answered(events, who, response, lambda: command(engine)(contact.id, body.target, body.note))

    return _route(name, name, summary, hand_over)


def _route(path: str, name: str, summary: str, endpoint: Endpoint) -> Endpoint:
    endpoint.__name__ = name  # the operation's id, as when each was written out
    router.add_api_route(
        f"/{{contact_id}}/{path}",
        endpoint,
        methods=["POST"],
        response_model=Contact,
        responses=ACTION_ANSWERS,
        summary=summary,
    )
    return endpoint


hold = _step("hold", "hold", "Hold (409 unless connected)", lambda e: e.contacts.hold)
resume = _step(
    "resume", "resume", "Take off hold (409 while another call of the agent's talks)", lambda e: e.contacts.resume
)
transfer = _hand_over("transfer", "Blind transfer to a queue, an agent or an address", lambda e: e.transfers.transfer)
consult = _hand_over(
    "consult", "Consult: the customer waits on hold while a second leg rings the target", lambda e: e.transfers.consult
)
complete_consult = _step(
    "consult/complete",
    "complete_consult",
    "Complete the consult: the contact goes to the target",
    lambda e: e.transfers.complete_consult,
)
cancel_consult = _step(
    "consult/cancel", "cancel_consult", "Cancel the consult: back to the customer", lambda e: e.transfers.cancel_consult
)
end = _step("end", "end", "End: after-contact work", lambda e: e.contacts.end)
extend_wrap_up = _step(
    "wrap-up/extend",
    "extend_wrap_up",
    "More time for a time-boxed wrap-up (409 when the queue's rule for the channel allows no more)",
    lambda e: e.contacts.extend_wrap_up,
)


@router.post(
    "/{contact_id}/complete",
    response_model=Contact,
    responses=ACTION_ANSWERS,
    summary="Complete with a disposition of the queue; the agent takes their next state",
)
async def complete(
    contact: HandledContactDep,
    body: Completion,
    engine: EngineDep,
    who: PrincipalDep,
    events: EventLogDep,
    response: Response,
) -> Contact:
    return answered(events, who, response, lambda: engine.contacts.complete(contact.id, body.disposition))


@router.post(
    "/{contact_id}/abandon",
    response_model=Contact,
    responses=ERRORS,
    summary="The caller gives up while queued or offered (supervisor; tests and demos)",
)
async def abandon(contact_id: str, who: SupervisorDep, engine: EngineDep, scope: ScopeDep) -> Contact:
    scope.check_queue(who, engine.read.contact(contact_id).queue_id, f"contact {contact_id}")
    return engine.arrivals.abandon(contact_id)


@router.post(
    "/{contact_id}/move",
    response_model=Contact,
    responses=ERRORS,
    summary="Move a queued contact to another queue, keeping its wait (supervisor)",
)
async def move(contact_id: str, body: MoveRequest, who: SupervisorDep, engine: EngineDep, scope: ScopeDep) -> Contact:
    scope.check_queue(who, engine.read.contact(contact_id).queue_id, f"contact {contact_id}")
    scope.check_queue(who, body.queue_id)  # from one of their queues to another
    return engine.supervisor.move(contact_id, body.queue_id)


@router.post(
    "/{contact_id}/callback",
    response_model=Contact,
    responses=ERRORS,
    summary="The waiting caller takes the callback offered: they keep their place and are dialled later",
)
async def callback(
    contact_id: str, body: CallbackRequest, who: SupervisorDep, engine: EngineDep, scope: ScopeDep
) -> Contact:
    scope.check_queue(who, engine.read.contact(contact_id).queue_id, f"contact {contact_id}")
    return engine.callbacks.request_callback(contact_id, body.number, body.reason)
