"""The Voice conferences of calls in hand (twilio_api_v2010.yaml): ListConference (by `FriendlyName`, the
Task SID the conference instruction names it after, and `Status`), FetchConference, UpdateConference with
`Status=completed` (hang up), and FetchParticipant / UpdateParticipant with `Hold` on a conference's legs.

A conference exists only where a conference instruction made one (voice.py): a call accepted with a bare
`ReservationStatus=accepted` has none, so there is nothing to hold. Its participants are the customer (the
task's `call_sid`) and the worker's leg; holding the customer's puts the engine's contact on hold, unholding
resumes it. Other updates (mute, announce, coach) are not served."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import boolean, form
from agent_desktop_mocks.twilio.routers.common import sid_param
from agent_desktop_mocks.twilio.state import Twilio, TwilioState
from agent_desktop_mocks.twilio.voice import Bridge

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}/Conferences", tags=["Conferences"])

AccountSid = Annotated[str, sid_param("AC")]
ConferenceSid = Annotated[str, sid_param("CF")]
CallSid = Annotated[str, Path(max_length=64)]
STATUSES = ("init", "in-progress", "completed")


def _rfc2822(at: datetime | None) -> str | None:
    return format_datetime(at) if at is not None else None


def _account(twilio: TwilioState, request: Request, account: str) -> None:
    if account != twilio.settings.account_sid:
        raise not_found(request.url.path)


def _bridge(twilio: TwilioState, request: Request, account: str, conference: str) -> tuple[Bridge, Contact]:
    _account(twilio, request, account)
    key = twilio.sids.key("CF", conference)
    bridge = twilio.voice.bridges.get(key or "")
    if bridge is None:
        raise not_found(request.url.path)
    return bridge, twilio.engine.read.contact(bridge.contact_id)


def conference(twilio: TwilioState, bridge: Bridge, contact: Contact) -> dict[str, Any]:
    sid, account = twilio.sids.of("CF", bridge.key), twilio.settings.account_sid
    live = twilio.voice.live(bridge, contact)
    uri = f"/2010-04-01/Accounts/{account}/Conferences/{sid}"
    ended = bridge.ended or (None if live else contact.ended_at or contact.completed_at or twilio.engine.read.now())
    made = {
        "account_sid": account,
        "api_version": "2010-04-01",
        "friendly_name": bridge.task_sid,
        "region": "us1",
        "sid": sid,
        "status": "in-progress" if live else "completed",
        "date_created": _rfc2822(bridge.created),
        "date_updated": _rfc2822(ended or contact.held_at or bridge.created),
        "uri": f"{uri}.json",
        "subresource_uris": {"participants": f"{uri}/Participants.json", "recordings": f"{uri}/Recordings.json"},
        "call_sid_ending_conference": bridge.ended_by,
    }
    if not live:  # Twilio answers null while in progress, which the pinned spec's enum refuses: left out then
        made["reason_conference_ended"] = bridge.reason if bridge.ended else "last-participant-left"
    return made


def _legs(twilio: TwilioState, bridge: Bridge) -> dict[str, str]:
    return {
        twilio.sids.of("CA", f"customer:{bridge.contact_id}"): "customer",
        twilio.sids.of("CA", f"worker:{bridge.key}"): "worker",
    }


def participant(twilio: TwilioState, bridge: Bridge, contact: Contact, leg: str) -> dict[str, Any]:
    conference_sid, account = twilio.sids.of("CF", bridge.key), twilio.settings.account_sid
    call = next(sid for sid, name in _legs(twilio, bridge).items() if name == leg)
    ends_it = bridge.customer_ends_it if leg == "customer" else bridge.worker_ends_it
    return {
        "account_sid": account,
        "call_sid": call,
        "conference_sid": conference_sid,
        "label": leg,
        "call_sid_to_coach": None,
        "coaching": False,
        "end_conference_on_exit": ends_it,
        "muted": False,
        "hold": leg == "customer" and contact.state == ContactState.ON_HOLD,
        "start_conference_on_enter": True,
        "status": "connected",
        "queue_time": "0",
        "date_created": _rfc2822(bridge.created),
        "date_updated": _rfc2822(contact.held_at or bridge.created),
        "uri": f"/2010-04-01/Accounts/{account}/Conferences/{conference_sid}/Participants/{call}.json",
    }


@router.get(".json")
async def list_conferences(
    request: Request,
    twilio: Twilio,
    AccountSid: AccountSid,
    FriendlyName: Annotated[str | None, Query(alias="FriendlyName", max_length=128)] = None,
    Status: Annotated[str | None, Query(alias="Status", max_length=20)] = None,
    PageSize: Annotated[int, Query(alias="PageSize", ge=1, le=1000)] = 50,
    Page: Annotated[int, Query(alias="Page", ge=0, le=1_000_000)] = 0,
    PageToken: Annotated[str | None, Query(alias="PageToken", max_length=100)] = None,
) -> dict[str, Any]:
    """Newest first, in the REST API's paging shape (`conferences`, `next_page_uri`, …)."""
    _account(twilio, request, AccountSid)
    if Status is not None and Status not in STATUSES:
        raise TwilioError(400, 20001, f"Invalid parameter Status: {Status}")
    found = []
    for bridge in reversed(twilio.voice.bridges.values()):
        if FriendlyName is not None and bridge.task_sid != FriendlyName:
            continue
        made = conference(twilio, bridge, twilio.engine.read.contact(bridge.contact_id))
        if Status is None or made["status"] == Status:
            found.append(made)
    start = Page * PageSize
    chunk = found[start : start + PageSize]
    # Twilio answers these relative to https://api.twilio.com; the pinned spec wants a URI: absolute here.
    uri = f"{str(request.base_url).rstrip('/')}/2010-04-01/Accounts/{AccountSid}/Conferences.json"
    following = (
        f"{uri}?PageSize={PageSize}&Page={Page + 1}&PageToken=PT{Page + 1}" if start + PageSize < len(found) else None
    )
    return {
        "conferences": chunk,
        "page": Page,
        "page_size": PageSize,
        "start": start,
        "end": start + max(len(chunk) - 1, 0),
        "uri": f"{uri}?PageSize={PageSize}&Page={Page}",
        "first_page_uri": f"{uri}?PageSize={PageSize}&Page=0",
        "previous_page_uri": f"{uri}?PageSize={PageSize}&Page={Page - 1}" if Page > 0 else None,
        "next_page_uri": following,
    }


@router.get("/{ConferenceSid}.json")
async def fetch_conference(
    request: Request, twilio: Twilio, AccountSid: AccountSid, ConferenceSid: ConferenceSid
) -> dict[str, Any]:
    return conference(twilio, *_bridge(twilio, request, AccountSid, ConferenceSid))


@router.post("/{ConferenceSid}.json")
async def update_conference(
    request: Request, twilio: Twilio, AccountSid: AccountSid, ConferenceSid: ConferenceSid
) -> dict[str, Any]:
    """`Status=completed` ends the conference and hangs up its calls; the task is untouched (TaskRouter does not
    know: the desk moves it to wrapping itself)."""
    bridge, contact = _bridge(twilio, request, AccountSid, ConferenceSid)
    fields = await form(request)
    if "Status" in fields:
        if fields["Status"] != "completed":
            raise TwilioError(400, 20001, f"Invalid parameter Status: {fields['Status']!r} (completed)")
        if twilio.voice.live(bridge, contact):
            twilio.voice.end(bridge, twilio.engine.read.now())
    return conference(twilio, bridge, contact)


def _leg(
    twilio: TwilioState, request: Request, account: str, conference_sid: str, call: str
) -> tuple[Bridge, Contact, str]:
    """The conference's bridge and call, and whose leg the call is ('customer' or 'worker'); 404 once it has ended."""
    bridge, contact = _bridge(twilio, request, account, conference_sid)
    legs = _legs(twilio, bridge)
    if not twilio.voice.live(bridge, contact) or call not in legs:
        raise not_found(request.url.path)  # the conference has ended (or never had this call)
    return bridge, contact, legs[call]


@router.get("/{ConferenceSid}/Participants/{CallSid}.json")
async def fetch_participant(
    request: Request, twilio: Twilio, AccountSid: AccountSid, ConferenceSid: ConferenceSid, CallSid: CallSid
) -> dict[str, Any]:
    bridge, contact, leg = _leg(twilio, request, AccountSid, ConferenceSid, CallSid)
    return participant(twilio, bridge, contact, leg)


@router.post("/{ConferenceSid}/Participants/{CallSid}.json")
async def update_participant(
    request: Request, twilio: Twilio, AccountSid: AccountSid, ConferenceSid: ConferenceSid, CallSid: CallSid
) -> dict[str, Any]:
    bridge, contact, leg = _leg(twilio, request, AccountSid, ConferenceSid, CallSid)
    fields = await form(request)
    if "Hold" in fields:
        if leg != "customer":
            raise TwilioError(400, 20001, "Invalid parameter Hold: this mock holds the customer's leg only")
        hold = boolean(fields["Hold"])
        if hold and contact.state == ContactState.CONNECTED:
            contact = twilio.engine.contacts.hold(contact.id)
        elif not hold and contact.state == ContactState.ON_HOLD:
            contact = twilio.engine.contacts.resume(contact.id)
    return participant(twilio, bridge, contact, leg)
