"""TaskQueues and the Workflow (ListTaskQueue, FetchTaskQueue, FetchWorkflow: its reservation timeout)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from agent_desktop_mocks.twilio.http.errors import not_found
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.routers.common import WorkflowSid, WorkspaceSid, render, sid_param
from agent_desktop_mocks.twilio.state import Twilio

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}", tags=["TaskQueues"])


@router.get("/TaskQueues")
async def list_task_queues(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    view = render(request, twilio)
    return page_of(request, "task_queues", [view.task_queue(q) for q in twilio.engine.read.queues()], Page, PageSize)


@router.get("/TaskQueues/{Sid}")
async def fetch_task_queue(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: str = sid_param("WQ")
) -> dict[str, Any]:
    queue_id = twilio.sids.key("WQ", Sid)
    if queue_id is None:
        raise not_found(request.url.path)
    return render(request, twilio).task_queue(twilio.engine.read.queue(queue_id))


@router.get("/Workflows/{Sid}")
async def fetch_workflow(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, Sid: WorkflowSid
) -> dict[str, Any]:
    if Sid != twilio.settings.workflow_sid:
        raise not_found(request.url.path)
    return render(request, twilio).workflow()
