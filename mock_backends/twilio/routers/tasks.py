"""Tasks: the contacts (FetchTask with its ETag; UpdateTask with `AssignmentStatus` wrapping or completed,
`Reason`, `Attributes`, and `If-Match` for optimistic concurrency)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Header, Request, Response

from mock_backends.ccaas.schemas import ContactState
from mock_backends.twilio.errors import TwilioError
from mock_backends.twilio.form import form
from mock_backends.twilio.resources import etag
from mock_backends.twilio.routers.common import TaskSid, WorkspaceSid, contact_of, render
from mock_backends.twilio.state import Twilio

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Tasks", tags=["Tasks"])


@router.get("/{Sid}")
async def fetch_task(request: Request, response: Response, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: TaskSid) -> dict:
    task = render(request, twilio).task(twilio.engine.contact(contact_of(twilio, Sid, request)))
    response.headers["ETag"] = etag(task)
    return task


@router.post("/{Sid}")
async def update_task(
    request: Request, response: Response, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: TaskSid,
    if_match: str | None = Header(None, alias="If-Match", max_length=100),
) -> dict:  # fmt: skip
    contact_id = contact_of(twilio, Sid, request)
    view, engine = render(request, twilio), twilio.engine
    fields = await form(request)
    if if_match is not None and if_match.strip('"') != etag(view.task(engine.contact(contact_id))):
        raise TwilioError(412, 20412, f"Task {Sid} was changed since it was read (If-Match does not match its ETag)")
    attributes = None
    if "Attributes" in fields:
        try:
            attributes = json.loads(fields["Attributes"])
        except ValueError:
            raise TwilioError(400, 20001, "Invalid parameter Attributes: not JSON") from None
        if not isinstance(attributes, dict):
            raise TwilioError(400, 20001, "Invalid parameter Attributes: not a JSON object")
    status = fields.get("AssignmentStatus")
    contact = engine.contact(contact_id)
    if status == "wrapping":
        engine.end(contact_id)
    elif status == "completed":
        outcome = (attributes or {}).get("conversations", {}).get("outcome") if attributes else None
        disposition = fields.get("Reason") or outcome
        if not disposition:
            raise TwilioError(400, 20001, "Completing a task needs a Reason (the disposition)")
        if contact.state in (ContactState.CONNECTED, ContactState.ON_HOLD):
            engine.end(contact_id)  # TaskRouter completes an assigned task directly
        engine.complete(contact_id, disposition)
    elif status is not None:
        raise TwilioError(400, 20001, f"Invalid parameter AssignmentStatus: {status!r} (wrapping or completed here)")
    if attributes is not None:
        twilio.task_attributes[contact_id] = attributes
    task = view.task(engine.contact(contact_id))
    response.headers["ETag"] = etag(task)
    return task
