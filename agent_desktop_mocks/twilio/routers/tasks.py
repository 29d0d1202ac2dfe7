"""Tasks: the contacts (ListTask by `AssignmentStatus`, `TaskQueueSid` and `EvaluateTaskAttributes` of the form
`key == "value"`; FetchTask with its ETag; UpdateTask
with `AssignmentStatus` wrapping or completed, `Reason`, `Attributes`, and `If-Match` for optimistic
concurrency)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, overload

from fastapi import APIRouter, Header, Query, Request, Response

from agent_desktop_mocks.ccaas.core.wire.schemas import ContactState
from agent_desktop_mocks.twilio.http.errors import TwilioError
from agent_desktop_mocks.twilio.http.form import form
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.resources import TASK_STATUS, etag
from agent_desktop_mocks.twilio.retention import deleted, segment_deleted
from agent_desktop_mocks.twilio.routers.common import TaskSid, WorkspaceSid, render, task_of
from agent_desktop_mocks.twilio.state import Twilio, TwilioState
from agent_desktop_mocks.twilio.task_segments import Segment

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Tasks", tags=["Tasks"])


ORDERINGS = {"DateCreated:asc": False, "DateCreated:desc": True}
# The one form of TaskRouter's expression language this mock evaluates (a desk finds a task it made by an attribute).
EQUALS = re.compile(r"""^\s*([A-Za-z_][\w.]*)\s*==\s*(?:"([^"]*)"|'([^']*)')\s*$""")


def _matcher(expression: str | None) -> Any:
    """`EvaluateTaskAttributes` as a test on a task resource (None: every task)."""
    if expression is None:
        return lambda task: True
    found = EQUALS.match(expression)
    if found is None:  # guessed: Twilio evaluates its whole expression language; this mock only `key == "value"`
        raise TwilioError(
            400, 20001, f'Invalid parameter EvaluateTaskAttributes: {expression!r} (this mock: key == "value")'
        )
    path, value = found.group(1).split("."), found.group(2) if found.group(2) is not None else found.group(3)

    def matches(task: dict[str, Any]) -> bool:
        here: object = json.loads(task["attributes"])
        for key in path:
            here = here.get(key) if isinstance(here, dict) else None
        return here == value

    return matches


@router.get("")
async def list_tasks(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    AssignmentStatus: Annotated[list[str] | None, Query(alias="AssignmentStatus", max_length=10)] = None,
    TaskQueueSid: Annotated[str | None, Query(alias="TaskQueueSid", max_length=34)] = None,
    Ordering: Annotated[str | None, Query(alias="Ordering", max_length=100)] = None,
    EvaluateTaskAttributes: Annotated[str | None, Query(alias="EvaluateTaskAttributes", max_length=500)] = None,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    """The tasks TaskRouter still holds (open ones, and those finished less than five minutes ago:
    retention.py), oldest first unless `Ordering=DateCreated:desc`."""
    matches = _matcher(EvaluateTaskAttributes)
    statuses = {s for value in AssignmentStatus or [] for s in value.split(",") if s}
    unknown = statuses - set(TASK_STATUS.values())
    if unknown:
        raise TwilioError(400, 20001, f"Invalid parameter AssignmentStatus: {sorted(unknown)}")
    if Ordering is not None and Ordering not in ORDERINGS:
        raise TwilioError(
            400, 20001, f"Invalid parameter Ordering: {Ordering!r} (DateCreated:asc or DateCreated:desc here)"
        )
    queue_id = twilio.sids.key("WQ", TaskQueueSid) if TaskQueueSid else None
    if TaskQueueSid and queue_id is None:
        return page_of(request, "tasks", [], Page, PageSize)
    contacts = [
        c
        for c in twilio.engine.read.contacts()
        if (not statuses or TASK_STATUS[c.state] in statuses)
        and (queue_id is None or c.queue_id == queue_id)
        and not deleted(twilio, c)
    ]
    contacts.sort(key=lambda c: (c.entered_queue_at, c.id), reverse=ORDERINGS.get(Ordering or "", False))
    view = render(request, twilio)
    tasks = [
        t for t in [view.task(c) for c in contacts] + _finished_tasks(twilio, statuses, TaskQueueSid) if matches(t)
    ]
    tasks.sort(key=lambda t: (t["date_created"], t["sid"]), reverse=ORDERINGS.get(Ordering or "", False))
    return page_of(request, "tasks", tasks, Page, PageSize)


@router.get("/{Sid}/Reservations")
async def list_task_reservations(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    Sid: TaskSid,
    ReservationStatus: Annotated[str | None, Query(alias="ReservationStatus", max_length=20)] = None,
    WorkerSid: Annotated[str | None, Query(alias="WorkerSid", max_length=34)] = None,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    """A task's reservations (the offers made of it since this mock started), newest first: whose task it is."""
    contact_id, _ = task_of(twilio, Sid, request)
    view, engine = render(request, twilio), twilio.engine
    offers = [engine.read.offer(o) for kept in twilio.offers_of.values() for o in kept]
    mine = sorted(
        (o for o in offers if o.contact.id == contact_id and twilio.tasks.offer_task_sid(o.id, contact_id) == Sid),
        key=lambda o: o.offered_at,
        reverse=True,
    )
    chosen = [
        r
        for r in (view.reservation(o) for o in mine)
        if (ReservationStatus is None or r["reservation_status"] == ReservationStatus)
        and (WorkerSid is None or r["worker_sid"] == WorkerSid)
    ]
    return page_of(request, "reservations", chosen, Page, PageSize)


@router.get("/{Sid}")
async def fetch_task(
    request: Request, response: Response, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: TaskSid
) -> dict[str, Any]:
    contact_id, segment = task_of(twilio, Sid, request)
    if segment is not None:
        task = twilio.tasks.render(segment, twilio.engine.read.now())
    else:
        task = render(request, twilio).task(twilio.engine.read.contact(contact_id))
    response.headers["ETag"] = etag(task)
    return task


@router.post("/{Sid}")
async def update_task(
    request: Request,
    response: Response,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    Sid: TaskSid,
    if_match: str | None = Header(None, alias="If-Match", max_length=100),
) -> dict[str, Any]:
    contact_id, segment = task_of(twilio, Sid, request)
    view, engine = render(request, twilio), twilio.engine
    fields = await form(request)
    if segment is not None:
        task = _update_finished(twilio, segment, fields, if_match)
        response.headers["ETag"] = etag(task)
        return task
    _check_version(Sid, view.task(engine.read.contact(contact_id)), if_match)
    attributes = _attributes(fields)
    status = fields.get("AssignmentStatus")
    contact = engine.read.contact(contact_id)
    if status == "wrapping":
        engine.contacts.end(contact_id)
    elif status == "completed":
        disposition = _reason(fields, attributes, required=True)
        if contact.state in (ContactState.CONNECTED, ContactState.ON_HOLD):
            engine.contacts.end(contact_id)  # TaskRouter completes an assigned task directly
        engine.contacts.complete(contact_id, disposition)
    elif status is not None:
        raise TwilioError(400, 20001, f"Invalid parameter AssignmentStatus: {status!r} (wrapping or completed here)")
    if attributes is not None:
        twilio.task_attributes[contact_id] = attributes
    task = view.task(engine.read.contact(contact_id))
    response.headers["ETag"] = etag(task)
    return task


def _attributes(fields: dict[str, str]) -> dict[str, Any] | None:
    """UpdateTask's `Attributes`, a JSON object (None: not sent)."""
    if "Attributes" not in fields:
        return None
    try:
        attributes = json.loads(fields["Attributes"])
    except ValueError:
        raise TwilioError(400, 20001, "Invalid parameter Attributes: not JSON") from None
    if not isinstance(attributes, dict):
        raise TwilioError(400, 20001, "Invalid parameter Attributes: not a JSON object")
    return attributes


def _check_version(sid: str, task: dict[str, Any], if_match: str | None) -> None:
    if if_match is not None and if_match.strip('"') != etag(task):
        raise TwilioError(412, 20412, f"Task {sid} was changed since it was read (If-Match does not match its ETag)")


@overload
def _reason(fields: dict[str, str], attributes: dict[str, Any] | None, *, required: Literal[True]) -> str: ...
@overload
def _reason(fields: dict[str, str], attributes: dict[str, Any] | None, *, required: bool) -> str | None: ...
def _reason(fields: dict[str, str], attributes: dict[str, Any] | None, *, required: bool) -> str | None:
    """Why a task completes: `Reason`, else the disposition the attributes carry where Flex Insights reads it."""
    conversations = (attributes or {}).get("conversations")
    outcome = conversations.get("outcome") if isinstance(conversations, dict) else None
    reason = fields.get("Reason") or (outcome if isinstance(outcome, str) else None)
    if required and not reason:
        raise TwilioError(400, 20001, "Completing a task needs a Reason (the disposition)")
    return reason


# --- the tasks Flex Interactions Invites left behind (task_segments.py) -------------------------------------


def _finished_tasks(twilio: TwilioState, statuses: set[str], queue_sid: str | None) -> list[dict[str, Any]]:
    now = twilio.engine.read.now()
    tasks = [twilio.tasks.render(s, now) for s in twilio.tasks.finished() if not segment_deleted(twilio, s)]
    return [
        t
        for t in tasks
        if (not statuses or t["assignment_status"] in statuses)
        and (queue_sid is None or t["task_queue_sid"] == queue_sid)
    ]


def _update_finished(
    twilio: TwilioState, segment: Segment, fields: dict[str, str], if_match: str | None
) -> dict[str, Any]:
    """UpdateTask on a task an Invite left behind: its attributes, and wrapping or completed from where it is; the
    engine's contact (now another task) is not touched."""
    now = twilio.engine.read.now()
    _check_version(segment.sid, twilio.tasks.render(segment, now), if_match)
    attributes = _attributes(fields)
    status, reason = fields.get("AssignmentStatus"), None
    if status is not None:
        allowed = {"assigned": ("wrapping", "completed"), "wrapping": ("completed",)}.get(segment.status, ())
        if status not in allowed:
            raise TwilioError(
                400, 20001, f"Invalid parameter AssignmentStatus: {status!r} (task {segment.sid} is {segment.status})"
            )
        reason = _reason(fields, attributes, required=status == "completed")
    if attributes is not None:
        twilio.tasks.write_attributes(segment, attributes)
    if status is not None:
        twilio.tasks.update(segment, status, now, reason if status == "completed" else None)
    return twilio.tasks.render(segment, now)
