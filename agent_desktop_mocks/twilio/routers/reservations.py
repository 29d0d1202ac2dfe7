"""A Worker's Reservations: the offers (ListWorkerReservation, FetchWorkerReservation, and
UpdateWorkerReservation with `ReservationStatus` accepted or rejected, or an assignment `Instruction`).

As TaskRouter documents it (docs/vendors/twilio-voice.md): `ReservationStatus=accepted` accepts and connects
no call; `Instruction=conference` on a pending voice reservation accepts it and bridges the caller and the
worker in a conference named by the Task SID (voice.py); an instruction on a reservation no longer pending is
refused with its instruction's code (conference 40136, or 40144 once the caller has gone; dequeue 40135)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, ContactState
from agent_desktop_mocks.ccaas.shell.engine import NotFound
from agent_desktop_mocks.ccaas.voice.contact_uri import ContactUriError, parse_contact_uri
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import boolean, form
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.retention import offer_deleted
from agent_desktop_mocks.twilio.routers.common import ReservationSid, WorkerSid, WorkspaceSid, agent_of, render
from agent_desktop_mocks.twilio.state import Twilio, TwilioState

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations", tags=["Reservations"])
STATUSES = ("pending", "accepted", "rejected", "timeout", "canceled", "rescinded", "wrapping", "completed")
ACCEPTING_INSTRUCTIONS = ("dequeue", "call", "conference", "redirect")
NOT_PENDING = {"conference": 40136, "dequeue": 40135, "call": 40114}  # each instruction's code on a non-pending one


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
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    WorkerSid: WorkerSid,
    ReservationStatus: str | None = Query(None, max_length=20),
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    agent_id = agent_of(twilio, WorkerSid, request)
    if ReservationStatus is not None and ReservationStatus not in STATUSES:
        raise TwilioError(400, 20001, f"Invalid parameter ReservationStatus: {ReservationStatus}")
    view = render(request, twilio)
    newest_first = [
        view.reservation(twilio.engine.read.offer(o))
        for o in reversed(twilio.offers_of[agent_id])
        if not offer_deleted(twilio, o)
    ]
    chosen = [r for r in newest_first if ReservationStatus is None or r["reservation_status"] == ReservationStatus]
    return page_of(request, "reservations", chosen, Page, PageSize)


@router.get("/{Sid}")
async def fetch_reservation(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, WorkerSid: WorkerSid, Sid: ReservationSid
) -> dict[str, Any]:
    agent_id = agent_of(twilio, WorkerSid, request)
    return render(request, twilio).reservation(twilio.engine.read.offer(_offer_id(twilio, agent_id, Sid, request)))


@router.post("/{Sid}")
async def update_reservation(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, WorkerSid: WorkerSid, Sid: ReservationSid
) -> dict[str, Any]:
    agent_id = agent_of(twilio, WorkerSid, request)
    offer_id = _offer_id(twilio, agent_id, Sid, request)
    fields = await form(request)
    instruction = fields.get("Instruction")
    status = fields.get("ReservationStatus")
    if status is None and instruction in ACCEPTING_INSTRUCTIONS:
        status = "accepted"  # the instruction connects the call: the reservation is accepted by it
    view = render(request, twilio)
    offer = twilio.engine.read.offer(offer_id)
    current = view.reservation_status(offer)
    if status not in ("accepted", "rejected"):
        raise TwilioError(400, 20001, f"Invalid parameter ReservationStatus: {status!r} (accepted or rejected)")
    if current != "pending" and instruction in NOT_PENDING:
        contact = twilio.engine.read.contact(offer.contact.id)
        if instruction == "conference" and contact.state == ContactState.ABANDONED:
            raise TwilioError(
                400, 40144, "Reservation is no longer Pending - Conference Instruction (the caller has hung up)"
            )
        raise TwilioError(
            400,
            NOT_PENDING[instruction],
            f"Reservation {Sid} is not pending (reservation_status: {current}): "
            f"the {instruction} instruction needs a pending reservation",
        )
    if current != "pending":
        raise TwilioError(400, 20001, f"Reservation {Sid} is not pending (reservation_status: {current})")
    if instruction == "conference":
        _conference(twilio, offer_id, offer.contact.id, agent_id, fields)
    elif status == "accepted":
        twilio.engine.contacts.accept(offer_id)  # a bare accept (or dequeue, call, redirect): no conference
    else:
        twilio.engine.offers.reject(offer_id)
    return view.reservation(twilio.engine.read.offer(offer_id))


def _conference(twilio: TwilioState, offer_id: str, contact_id: str, agent_id: str, fields: dict[str, str]) -> None:
    """The conference instruction: the worker dialled (`To`, else their `contact_uri`) from `From`, the caller
    (the task's `call_sid`, a voice task's) moved in; the reservation accepted. A `sip:` address on loopback is rung
    for real by the CCaaS's voice leg (a caller of the mock's speaking the call's script); any other is not dialled."""
    contact = twilio.engine.read.contact(contact_id)
    if contact.channel != Channel.VOICE:
        raise TwilioError(
            400,
            40142,
            "Failed to issue Conference instruction due to missing 'call_sid' or 'outbound_to' "
            "properties (the task was not made by <Enqueue>)",
        )
    caller_id = fields.get("From", "")
    if not caller_id:
        raise TwilioError(
            400, 40141, "The conference instruction needs 'from': the caller ID of the call to the worker"
        )
    contact_uri = twilio.worker_attributes.get(agent_id, {}).get("contact_uri", f"client:{agent_id}")
    to = fields.get("To") or str(contact_uri)  # the Worker's contact_uri (resources.py)
    accepted = twilio.engine.contacts.accept(offer_id)
    if to.lower().startswith("sip:") and twilio.voice_leg is not None:
        try:  # a SIP endpoint: the mock's real caller rings it (loopback only: nothing leaves the machine)
            twilio.voice_leg.ring(accepted, parse_contact_uri(to))
        except ContactUriError as error:
            log.info("contact %s: the worker's %s is not rung: %s", contact_id, to[:80], error)
    twilio.voice.bridge(
        accepted,
        twilio.sids.of("WT", contact_id),
        to,
        caller_id,
        now=twilio.engine.read.now(),
        worker_ends_it=boolean(fields.get("EndConferenceOnExit", "false")),
        customer_ends_it=boolean(fields.get("EndConferenceOnCustomerExit", "false")),
    )
