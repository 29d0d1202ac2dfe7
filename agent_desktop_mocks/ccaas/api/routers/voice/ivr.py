"""The IVR: callers come in through an entry number's menu (supervisor token: tests, demos and the simulator)."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Request, status

from agent_desktop_mocks.ccaas.api.dependencies import EngineDep, SupervisorDep
from agent_desktop_mocks.ccaas.core.errors import Invalid
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Message
from agent_desktop_mocks.ccaas.tables.ivr import (
    IvrCall,
    IvrEntry,
    IvrOutcome,
    IvrRefused,
    attached_data,
    identify,
    walk,
)

router = APIRouter(prefix="/v1/ivr", tags=["ivr"])


@router.get("/entries", response_model=list[IvrEntry], summary="The entry numbers and their menus")
async def entries(request: Request, _: SupervisorDep) -> list[IvrEntry]:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast("list[IvrEntry]", request.app.state.settings.ivr)


@router.post(
    "/calls",
    response_model=IvrOutcome,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Message}},
    summary="A call through the IVR: self-served (contained) or queued with its attached data",
)
async def call(body: IvrCall, request: Request, _: SupervisorDep, engine: EngineDep) -> IvrOutcome:
    try:
        menu = walk(request.app.state.settings.ivr, body.entry_number, body.keys)
    except IvrRefused as refused:
        raise Invalid(refused.field, str(refused), refused.value) from None
    option = menu.option
    if body.self_service and option.self_service_pct > 0:
        engine.arrivals.self_served(option.queue_id, option.intent, menu.path)
        attached = attached_data(menu, None, False, None)
        return IvrOutcome(outcome="contained", queue_id=option.queue_id, attached=attached)
    account, verified, tier = await identify(
        request.app.state.directory, option, body.from_address, body.account_number
    )
    attached = attached_data(menu, account, verified, tier)
    contact = engine.arrivals.create_contact(
        option.queue_id, Channel.VOICE, body.from_address, body.subject, attached=attached
    )
    return IvrOutcome(
        outcome="queued", queue_id=option.queue_id, attached=attached, contact=contact, ewt_s=contact.ewt_s
    )
