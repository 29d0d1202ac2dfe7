"""Workspace Activities: the states a Worker may be in (ListActivity, FetchActivity)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.twilio.http.errors import not_found
from agent_desktop_mocks.twilio.http.form import boolean
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.routers.common import WorkspaceSid, render, sid_param
from agent_desktop_mocks.twilio.state import Twilio

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}/Activities", tags=["Activities"])


@router.get("")
async def list_activities(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    FriendlyName: str | None = Query(None, max_length=200),
    Available: str | None = Query(None, max_length=10),
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    chosen = [
        a
        for a in twilio.activities
        if (FriendlyName is None or a.name == FriendlyName) and (Available is None or a.available == boolean(Available))
    ]
    view = render(request, twilio)
    return page_of(request, "activities", [view.activity(a) for a in chosen], Page, PageSize)


@router.get("/{Sid}")
async def fetch_activity(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: str = sid_param("WA")
) -> dict[str, Any]:
    activity = twilio.activity_by_sid(Sid)
    if activity is None:
        raise not_found(request.url.path)
    return render(request, twilio).activity(activity)
