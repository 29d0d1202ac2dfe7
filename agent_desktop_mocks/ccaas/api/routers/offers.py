"""Answering an offer: only the agent it was made to."""

from __future__ import annotations

from fastapi import APIRouter, Response

from agent_desktop_mocks.ccaas.api.answer_events import EVENT_IDS_RESPONSE, answered
from agent_desktop_mocks.ccaas.api.dependencies import EngineDep, EventLogDep, PrincipalDep, require_owner
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Contact, Message, Offer
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(prefix="/v1/offers", tags=["offers"])

ERRORS: Responses = {
    200: EVENT_IDS_RESPONSE,
    403: {"model": Message},
    404: {"model": Message},
    409: {"model": Conflict},
}


@router.post("/{offer_id}/accept", response_model=Contact, responses=ERRORS, summary="Accept: the contact connects")
async def accept(
    offer_id: str, who: PrincipalDep, engine: EngineDep, events: EventLogDep, response: Response
) -> Contact:
    require_owner(who, engine.read.offer(offer_id).agent_id, "offer")
    return answered(events, who, response, lambda: engine.contacts.accept(offer_id))


@router.post(
    "/{offer_id}/reject", response_model=Offer, responses=ERRORS, summary="Reject: the contact goes back to the queue"
)
async def reject(offer_id: str, who: PrincipalDep, engine: EngineDep, events: EventLogDep, response: Response) -> Offer:
    require_owner(who, engine.read.offer(offer_id).agent_id, "offer")
    return answered(events, who, response, lambda: engine.offers.reject(offer_id))
