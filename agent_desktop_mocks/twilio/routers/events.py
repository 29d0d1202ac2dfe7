"""TaskRouter's Events resource (ListEvent): the workspace's logged events, filtered by task, reservation,
worker, queue, workflow, channel or type, in a window (`StartDate`/`EndDate`, else the last `Minutes`, 15
by default). Kept 30 days, so it still names a task TaskRouter deleted (event_history.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.twilio.event_history import EventHistory, LoggedEvent
from agent_desktop_mocks.twilio.http.errors import TwilioError
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.resources import stamp
from agent_desktop_mocks.twilio.routers.common import WorkspaceSid
from agent_desktop_mocks.twilio.state import Twilio, TwilioState
from agent_desktop_mocks.twilio.statistics import window

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Events", tags=["Events"])


def _sid(prefix: str) -> Any:
    return Query(pattern=f"^{prefix}[0-9a-fA-F]{{32}}$", min_length=34, max_length=34)


def _render(twilio: TwilioState, root: str, event: LoggedEvent, index: int) -> dict[str, Any]:
    p = event.params
    resource = p.get("ResourceType", "")
    plural = {"task": "Tasks", "reservation": "Tasks", "worker": "Workers"}.get(resource, "")
    resource_url = f"{root}/{plural}/{p.get('ResourceSid')}" if plural and resource != "reservation" else None
    if resource == "reservation" and p.get("TaskSid"):
        resource_url = f"{root}/Tasks/{p['TaskSid']}/Reservations/{p.get('ResourceSid')}"
    sid = p.get("Sid") or f"EV{index:032x}"
    return {
        "account_sid": twilio.settings.account_sid,
        "workspace_sid": twilio.settings.workspace_sid,
        "actor_sid": twilio.settings.workspace_sid,
        "actor_type": "workspace",
        "actor_url": root,
        "description": p.get("EventDescription"),
        "event_data": event.data(),
        "event_date": stamp(event.at),
        "event_date_ms": int(event.at.timestamp() * 1000),
        "event_type": p.get("EventType"),
        "resource_sid": p.get("ResourceSid"),
        "resource_type": resource,
        "resource_url": resource_url,
        "sid": sid,
        "source": "twilio",
        "source_ip_address": None,
        "url": f"{root}/Events/{sid}",
    }


@router.get("")
async def list_events(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    EndDate: Annotated[datetime | None, Query(alias="EndDate")] = None,
    EventType: Annotated[str | None, Query(alias="EventType", max_length=64)] = None,
    Minutes: Annotated[int | None, Query(alias="Minutes", ge=1, le=43_200)] = None,
    ReservationSid: Annotated[str | None, _sid("WR")] = None,
    StartDate: Annotated[datetime | None, Query(alias="StartDate")] = None,
    TaskQueueSid: Annotated[str | None, _sid("WQ")] = None,
    TaskSid: Annotated[str | None, _sid("WT")] = None,
    WorkerSid: Annotated[str | None, _sid("WK")] = None,
    WorkflowSid: Annotated[str | None, _sid("WW")] = None,
    TaskChannel: Annotated[str | None, Query(alias="TaskChannel", max_length=64)] = None,
    Sid: Annotated[str | None, _sid("EV")] = None,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    """Newest first (guessed: Twilio's reference does not say the order)."""
    for name, value in (("StartDate", StartDate), ("EndDate", EndDate)):
        if value is not None and value.tzinfo is None:
            raise TwilioError(400, 20001, f"Invalid parameter {name}: an ISO 8601 date-time in GMT (…Z)")
    now = twilio.engine.read.now()
    start = StartDate.astimezone(UTC) if StartDate is not None else None
    end = EndDate.astimezone(UTC) if EndDate is not None else None
    start, end = window(now, start, end, Minutes)
    if start > end:
        raise TwilioError(400, 20001, "Invalid parameter StartDate: after EndDate")
    history: EventHistory = request.app.state.callbacks.history
    found = history.read(
        start,
        end,
        EventType=EventType,
        ReservationSid=ReservationSid,
        TaskQueueSid=TaskQueueSid,
        TaskSid=TaskSid,
        WorkerSid=WorkerSid,
        WorkflowSid=WorkflowSid,
        TaskChannel=TaskChannel,
        Sid=Sid,
    )
    root = f"{str(request.base_url).rstrip('/')}/v1/Workspaces/{twilio.settings.workspace_sid}"
    return page_of(request, "events", [_render(twilio, root, e, i) for i, e in enumerate(found)], Page, PageSize)
