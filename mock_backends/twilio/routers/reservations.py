"""A Worker's Reservations: the offers (ListWorkerReservation, FetchWorkerReservation, and
UpdateWorkerReservation with `ReservationStatus` accepted or rejected, or an accepting `Instruction`)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from mock_backends.ccaas.engine import NotFound
from mock_backends.twilio.errors import TwilioError, not_found
from mock_backends.twilio.form import form
from mock_backends.twilio.paging import PageNumber, PageSize, PageToken, page_of
from mock_backends.twilio.retention import offer_deleted
from mock_backends.twilio.routers.common import ReservationSid, WorkerSid, WorkspaceSid, agent_of, render
from mock_backends.twilio.state import Twilio, TwilioState

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations", tags=["Reservations"])
STATUSES = ("pending", "accepted", "rejected", "timeout", "canceled", "rescinded", "wrapping", "completed")
ACCEPTING_INSTRUCTIONS = ("dequeue", "call", "conference", "redirect")


def _offer_id(twilio: TwilioState, agent_id: str, sid: str, request: Request) -> str:
    offer_id = twilio.sids.key("WR", sid)
    try:
        if offer_id is None or twilio.engine.read.offer(offer_id).agent_id != agent_id:
            raise not_found(request.url.path)
        if offer_deleted(twilio, offer_id):  # deleted with its task (retention.py)
            raise not_found(request.url.path)
    except NotFound:
        raise not_found(request.url.path) from None
    return offer_id


@router.get("")
async def list_reservations(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, WorkerSid: WorkerSid,
    ReservationStatus: str | None = Query(None, max_length=20),
    PageSize: PageSize = 50, Page: PageNumber = 0, PageToken: PageToken = None,
) -> dict:  # fmt: skip
    agent_id = agent_of(twilio, WorkerSid, request)
    if ReservationStatus is not None and ReservationStatus not in STATUSES:
        raise TwilioError(400, 20001, f"Invalid parameter ReservationStatus: {ReservationStatus}")
    view = render(request, twilio)
    newest_first = [view.reservation(twilio.engine.read.offer(o)) for o in reversed(twilio.offers_of[agent_id])
                    if not offer_deleted(twilio, o)]  # fmt: skip
    chosen = [r for r in newest_first if ReservationStatus is None or r["reservation_status"] == ReservationStatus]
    return page_of(request, "reservations", chosen, Page, PageSize)


@router.get("/{Sid}")
async def fetch_reservation(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, WorkerSid: WorkerSid, Sid: ReservationSid
) -> dict:
    agent_id = agent_of(twilio, WorkerSid, request)
    return render(request, twilio).reservation(twilio.engine.read.offer(_offer_id(twilio, agent_id, Sid, request)))


@router.post("/{Sid}")
async def update_reservation(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, WorkerSid: WorkerSid, Sid: ReservationSid
) -> dict:
    agent_id = agent_of(twilio, WorkerSid, request)
    offer_id = _offer_id(twilio, agent_id, Sid, request)
    fields = await form(request)
    status = fields.get("ReservationStatus")
    if status is None and fields.get("Instruction") in ACCEPTING_INSTRUCTIONS:
        status = "accepted"  # the instruction connects the call: the reservation is accepted by it
    view = render(request, twilio)
    current = view.reservation_status(twilio.engine.read.offer(offer_id))
    if status not in ("accepted", "rejected"):
        raise TwilioError(400, 20001, f"Invalid parameter ReservationStatus: {status!r} (accepted or rejected)")
    if current != "pending":
        raise TwilioError(400, 20001, f"Reservation {Sid} is not pending (reservation_status: {current})")
    if status == "accepted":
        twilio.engine.contacts.accept(offer_id)
    else:
        twilio.engine.offers.reject(offer_id)
    return view.reservation(twilio.engine.read.offer(offer_id))
