"""The Voice conference of a call in hand (twilio_api_v2010.yaml: FetchParticipant, UpdateParticipant with
`Hold`): what Flex holds a call with. A task's conference and its customer's and worker's call legs are named
in its attributes (`conference.sid`, `conference.participants.customer|worker`) while it is assigned; holding
the customer's leg puts the engine's contact on hold, unholding resumes it. Other updates (mute, announce,
coach) are not served."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from mock_backends.ccaas.schemas import Contact, ContactState
from mock_backends.twilio.errors import TwilioError, not_found
from mock_backends.twilio.form import boolean, form
from mock_backends.twilio.routers.common import sid_param
from mock_backends.twilio.state import Twilio, TwilioState

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants", tags=["Conferences"])

AccountSid = Annotated[str, sid_param("AC")]
ConferenceSid = Annotated[str, sid_param("CF")]
CallSid = Annotated[str, Path(max_length=64)]
IN_CONFERENCE = (ContactState.CONNECTED, ContactState.ON_HOLD)


def _rfc2822(at: datetime | None) -> str | None:
    return format_datetime(at) if at is not None else None


def _leg(twilio: TwilioState, request: Request, account: str, conference: str, call: str) -> tuple[Contact, str]:
    """The contact whose conference this is, and whose leg the call is ('customer' or 'worker')."""
    if account != twilio.settings.account_sid:
        raise not_found(request.url.path)
    contact_id = twilio.sids.key("CF", conference)
    if contact_id is None:
        raise not_found(request.url.path)
    contact = twilio.engine.read.contact(contact_id)
    legs = {twilio.sids.of("CA", f"customer:{contact_id}"): "customer", twilio.sids.of("CA", f"worker:{contact_id}"): "worker"}
    if contact.state not in IN_CONFERENCE or call not in legs:
        raise not_found(request.url.path)  # the conference has ended (or never had this call)
    return contact, legs[call]


def participant(twilio: TwilioState, contact: Contact, leg: str) -> dict[str, Any]:
    conference, call = twilio.sids.of("CF", contact.id), twilio.sids.of("CA", f"{leg}:{contact.id}")
    account = twilio.settings.account_sid
    return {
        "account_sid": account, "call_sid": call, "conference_sid": conference, "label": leg,
        "call_sid_to_coach": None, "coaching": False, "end_conference_on_exit": leg == "customer",
        "muted": False, "hold": leg == "customer" and contact.state == ContactState.ON_HOLD,
        "start_conference_on_enter": True, "status": "connected", "queue_time": "0",
        "date_created": _rfc2822(contact.answered_at), "date_updated": _rfc2822(contact.held_at or contact.answered_at),
        "uri": f"/2010-04-01/Accounts/{account}/Conferences/{conference}/Participants/{call}.json",
    }  # fmt: skip


@router.get("/{CallSid}.json")
async def fetch_participant(request: Request, twilio: Twilio, AccountSid: AccountSid, ConferenceSid: ConferenceSid,
                            CallSid: CallSid) -> dict:  # fmt: skip
    contact, leg = _leg(twilio, request, AccountSid, ConferenceSid, CallSid)
    return participant(twilio, contact, leg)


@router.post("/{CallSid}.json")
async def update_participant(request: Request, twilio: Twilio, AccountSid: AccountSid, ConferenceSid: ConferenceSid,
                             CallSid: CallSid) -> dict:  # fmt: skip
    contact, leg = _leg(twilio, request, AccountSid, ConferenceSid, CallSid)
    fields = await form(request)
    if "Hold" in fields:
        if leg != "customer":
            raise TwilioError(400, 20001, "Invalid parameter Hold: this mock holds the customer's leg only")
        hold = boolean(fields["Hold"])
        if hold and contact.state == ContactState.CONNECTED:
            contact = twilio.engine.contacts.hold(contact.id)
        elif not hold and contact.state == ContactState.ON_HOLD:
            contact = twilio.engine.contacts.resume(contact.id)
    return participant(twilio, contact, leg)
