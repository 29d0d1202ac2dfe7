"""The caller's call (twilio_api_v2010.yaml UpdateCall): redirected by `Twiml` into `<Enqueue workflowSid><Task>`,
TaskRouter's cold transfer (Call Control Concepts, "Cold Transfer"; the sequence diagram's "New Task … complete
original task (or move to wrap)").

The call leaves the conference the conference instruction put it in (its participant was joined with the desk's
`EndConferenceOnCustomerExit`: set, the conference ends and the worker's leg with it), and `<Enqueue>` makes a *new
task* for the same call: a new segment of the engine's contact (task_segments.py), with the `<Task>` JSON as its
attributes plus what `<Enqueue>` writes about the call (`call_sid`, `from`, `to`, …), routed by the workflow. The
old task is untouched: still `assigned` to the transferring worker until their desk wraps or completes it (UpdateTask
on it: routers/tasks.py).

How the workflow reads the target is the account's own configuration (its filters); this mock's workflow has the
filters of Twilio's Flex project template (guessed, docs/vendors/twilio-voice.md): `transferTargetType == 'worker'`
routes to the known worker `transferTargetSid`, `transferTargetType == 'queue'` to the TaskQueue `transferTargetSid`;
otherwise the default filter, the queue the call was in."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState, Target
from agent_desktop_mocks.twilio.calls.twiml import Enqueue, enqueue
from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.form import form
from agent_desktop_mocks.twilio.routers.common import render, sid_param
from agent_desktop_mocks.twilio.state import Twilio, TwilioState
from agent_desktop_mocks.twilio.task_segments import Invite
from agent_desktop_mocks.twilio.voice import ACCOUNT_NUMBER, Bridge

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}/Calls", tags=["Calls"])

AccountSid = Annotated[str, sid_param("AC")]
CallSid = Annotated[str, Path(pattern="^CA[0-9a-fA-F]{32}$", min_length=34, max_length=34)]
GONE = (ContactState.COMPLETED, ContactState.ABANDONED)


def _rfc2822(at: datetime | None) -> str | None:
    return format_datetime(at) if at is not None else None


def _caller(twilio: TwilioState, request: Request, account: str, call: str) -> Contact:
    """The contact whose caller's call this is (the customer's leg: the task's `call_sid`)."""
    if account != twilio.settings.account_sid:
        raise not_found(request.url.path)
    key = twilio.sids.key("CA", call) or ""
    if key.startswith("worker:"):  # guessed: the desk never redirects its own leg
        raise TwilioError(400, 20001, "This mock redirects the caller's call only, not the worker's leg")
    if not key.startswith("customer:"):
        raise not_found(request.url.path)
    return twilio.engine.read.contact(key.split(":", 1)[1])


def call(twilio: TwilioState, contact: Contact, sid: str) -> dict[str, Any]:
    """The Call resource of the caller's leg (inbound to the account's number): in progress from the moment
    `<Enqueue>` answered it, completed once the caller hung up or the conference it was in was ended by the API
    (which disconnects every participant)."""
    account, now = twilio.settings.account_sid, twilio.engine.read.now()
    ended = contact.ended_at if contact.state == ContactState.ABANDONED else None
    bridge = twilio.voice.bridge_of(contact.id)
    if ended is None and bridge is not None and bridge.ended and bridge.reason == "conference-ended-via-api":
        ended = bridge.ended
    return {
        "sid": sid,
        "account_sid": account,
        "parent_call_sid": None,
        "api_version": "2010-04-01",
        "date_created": _rfc2822(contact.entered_queue_at),
        "date_updated": _rfc2822(now),
        "start_time": _rfc2822(contact.entered_queue_at),
        "end_time": _rfc2822(ended),
        "to": ACCOUNT_NUMBER,
        "to_formatted": ACCOUNT_NUMBER,
        "from": contact.from_address,
        "from_formatted": contact.from_address,
        "phone_number_sid": None,
        "direction": "inbound",
        "status": "completed" if ended else "in-progress",
        "duration": None,
        "price": None,
        "price_unit": "USD",
        "answered_by": None,
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": "0",
        "trunk_sid": None,
        "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
        "subresource_uris": {"recordings": f"/2010-04-01/Accounts/{account}/Calls/{sid}/Recordings.json"},
    }


def _routed(twilio: TwilioState, attributes: dict[str, Any], contact: Contact) -> Target:
    """The workflow's filters on the new task's attributes (this mock's, guessed: module docstring)."""
    kind, sid = attributes.get("transferTargetType"), str(attributes.get("transferTargetSid") or "")
    if kind == "worker":
        agent_id = twilio.sids.key("WK", sid)
        if agent_id is None:  # guessed: TaskRouter would let the task wait for a worker that never comes
            raise TwilioError(
                400, 20001, f"Invalid parameter Twiml: transferTargetSid {sid!r} is no Worker of the workspace"
            )
        return Target(kind="agent", id=agent_id)
    if kind == "queue":
        queue_id = twilio.sids.key("WQ", sid)
        if queue_id is None:
            raise TwilioError(
                400, 20001, f"Invalid parameter Twiml: transferTargetSid {sid!r} is no TaskQueue of the workspace"
            )
        return Target(kind="queue", id=queue_id)
    return Target(kind="queue", id=contact.queue_id)


def _enqueued(twilio: TwilioState, contact: Contact, sid: str, twiml: Enqueue, now: datetime) -> Invite:
    """What made the new task: the `<Task>` JSON and what `<Enqueue>` writes about the call (as TaskRouter's
    quickstart shows an enqueued call's task; the call's own values win over the JSON's, guessed)."""
    call_params = {
        "call_sid": sid,
        "account_sid": twilio.settings.account_sid,
        "from": contact.from_address,
        "caller": contact.from_address,
        "to": ACCOUNT_NUMBER,
        "called": ACCOUNT_NUMBER,
        "direction": "inbound",
        "call_status": "in-progress",
        "api_version": "2010-04-01",
    }
    # The TaskChannel: `<Enqueue>` names none; a call's task lands on the workspace's voice channel (guessed).
    return Invite(sid, twiml.attributes | call_params, "voice", twiml.priority or 0, now)


def _worker_leg(twilio: TwilioState, bridge: Bridge, sid: str) -> dict[str, Any]:
    """The Call resource of the worker's leg the conference instruction dialled (`To`, from `From`): in progress
    while the conference bridges it with the caller, completed once it ended."""
    account = twilio.settings.account_sid
    live = twilio.voice.live(bridge, twilio.engine.read.contact(bridge.contact_id))
    return {
        "sid": sid,
        "account_sid": account,
        "parent_call_sid": None,
        "api_version": "2010-04-01",
        "date_created": _rfc2822(bridge.created),
        "date_updated": _rfc2822(bridge.ended or bridge.created),
        "start_time": _rfc2822(bridge.created),
        "end_time": None if live else _rfc2822(bridge.ended or bridge.created),
        "to": bridge.to,
        "to_formatted": bridge.to,
        "from": bridge.caller_id,
        "from_formatted": bridge.caller_id,
        "phone_number_sid": None,
        "direction": "outbound-api",
        "status": "in-progress" if live else "completed",
        "duration": None,
        "price": None,
        "price_unit": "USD",
        "answered_by": None,
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": "0",
        "trunk_sid": None,
        "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
        "subresource_uris": {"recordings": f"/2010-04-01/Accounts/{account}/Calls/{sid}/Recordings.json"},
    }


@router.get("/{CallSid}.json")
async def fetch_call(request: Request, twilio: Twilio, AccountSid: AccountSid, CallSid: CallSid) -> dict[str, Any]:
    """FetchCall: the caller's leg (the task's `call_sid`) or the worker's leg a conference instruction dialled."""
    if AccountSid != twilio.settings.account_sid:
        raise not_found(request.url.path)
    key = twilio.sids.key("CA", CallSid) or ""
    kind, _, rest = key.partition(":")
    if kind == "customer":
        return call(twilio, twilio.engine.read.contact(rest), CallSid)
    if kind == "worker" and rest in twilio.voice.bridges:
        return _worker_leg(twilio, twilio.voice.bridges[rest], CallSid)
    raise not_found(request.url.path)


@router.post("/{CallSid}.json")
async def update_call(request: Request, twilio: Twilio, AccountSid: AccountSid, CallSid: CallSid) -> dict[str, Any]:
    contact = _caller(twilio, request, AccountSid, CallSid)
    fields = await form(request)
    if "Twiml" in fields and "Url" in fields:
        raise TwilioError(400, 21205, "Twiml and Url are mutually exclusive")
    if "Twiml" not in fields:  # guessed codes: this mock fetches no TwiML and hangs no call up by REST
        raise TwilioError(400, 20001, "This mock executes inline Twiml only (no Url, no Status)")
    if contact.state in GONE:
        raise TwilioError(400, 21220, f"Call {CallSid} is not in-progress. Cannot redirect.")
    redirect = enqueue(fields["Twiml"])
    if redirect.workflow_sid != twilio.settings.workflow_sid:
        raise TwilioError(400, 20001, f"Invalid parameter Twiml: no Workflow {redirect.workflow_sid} in this workspace")
    bridge, engine = twilio.voice.bridge_of(contact.id), twilio.engine
    if bridge is None or not twilio.voice.live(bridge, contact):  # guessed: a queued call's redirect is not served
        raise TwilioError(
            400, 20001, f"This mock redirects a call bridged in a conference only ({contact.state.value})"
        )
    target, now = _routed(twilio, redirect.attributes, contact), engine.read.now()
    previous, written = twilio.tasks.invite_of(contact.id), twilio.task_attributes.pop(contact.id, None)
    task = render(request, twilio).task(contact)
    segment = twilio.tasks.begin(
        task,
        contact.id,
        contact.agent_id,
        twilio.accepted_through.get(contact.id),
        _enqueued(twilio, contact, CallSid, redirect, now),
    )
    try:
        moved = engine.transfers.transfer(contact.id, target)
    except (Conflict, Invalid) as error:  # a worker who cannot take it now (guessed: TaskRouter would keep it waiting)
        twilio.tasks.undo(segment, previous)
        if written is not None:
            twilio.task_attributes[contact.id] = written
        raise TwilioError(400, 20001, f"Invalid parameter Twiml: {error}") from None
    if bridge.customer_ends_it:  # EndConferenceOnCustomerExit: the caller leaving ends it, the worker's leg hangs up
        twilio.voice.end(bridge, now, by_call=CallSid)
    return call(twilio, engine.read.contact(moved.id), CallSid)
