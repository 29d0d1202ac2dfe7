"""Statistics (FetchTaskQueueRealTimeStatistics, FetchTaskQueueCumulativeStatistics, ListTaskQueuesStatistics:
every queue's real-time and cumulative figures in one list, FetchWorkersRealTimeStatistics): what a
supervisor's console reads of the floor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.twilio.http.errors import TwilioError, not_found
from agent_desktop_mocks.twilio.http.paging import PageNumber, PageSize, PageToken, page_of
from agent_desktop_mocks.twilio.routers.common import WorkspaceSid, sid_param
from agent_desktop_mocks.twilio.state import Twilio, TwilioState
from agent_desktop_mocks.twilio.statistics import Statistics, window

router = APIRouter(prefix="/v1/Workspaces/{WorkspaceSid}", tags=["Statistics"])

TaskQueueSid = Annotated[str, sid_param("WQ")]
TaskChannel = Annotated[str | None, Query(alias="TaskChannel", max_length=64)]


def _statistics(request: Request, twilio: TwilioState) -> Statistics:
    return Statistics(twilio, str(request.base_url).rstrip("/"))


def _queue(twilio: TwilioState, sid: str, request: Request) -> str:
    queue_id = twilio.sids.key("WQ", sid)
    if queue_id is None:
        raise not_found(request.url.path)
    twilio.engine.read.queue(queue_id)
    return queue_id


def _thresholds(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise TwilioError(400, 20001, "Invalid parameter SplitByWaitTime: seconds, separated by commas") from None
    if len(values) > 10 or any(not 0 <= v <= 86_400 for v in values):
        raise TwilioError(400, 20001, "Invalid parameter SplitByWaitTime: up to 10 thresholds of 0 to 86400 s")
    return values


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def _window(
    twilio: TwilioState, start: datetime | None, end: datetime | None, minutes: int | None
) -> tuple[datetime, datetime]:
    for name, value in (("StartDate", start), ("EndDate", end)):
        if value is not None and (value.tzinfo is None or not 1970 <= value.year <= 9998):
            raise TwilioError(400, 20001, f"Invalid parameter {name}: an ISO 8601 date-time in GMT (…Z), 1970 to 9998")
    since, until = window(twilio.engine.read.now(), _utc(start), _utc(end), minutes)
    if since > until:
        raise TwilioError(400, 20001, "Invalid parameter StartDate: after EndDate")
    return since, until


@router.get("/TaskQueues/Statistics")
async def list_task_queues_statistics(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    EndDate: Annotated[datetime | None, Query(alias="EndDate")] = None,
    FriendlyName: Annotated[str | None, Query(alias="FriendlyName", max_length=200)] = None,
    Minutes: Annotated[int | None, Query(alias="Minutes", ge=1, le=1_000_000)] = None,
    StartDate: Annotated[datetime | None, Query(alias="StartDate")] = None,
    TaskChannel: TaskChannel = None,
    SplitByWaitTime: Annotated[str | None, Query(alias="SplitByWaitTime", max_length=200)] = None,
    PageSize: PageSize = 50,
    Page: PageNumber = 0,
    PageToken: PageToken = None,
) -> dict[str, Any]:
    """Each TaskQueue's `realtime` and `cumulative` figures (the same as its own two endpoints give) in one list."""
    start, end = _window(twilio, StartDate, EndDate, Minutes)
    thresholds = _thresholds(SplitByWaitTime)
    figures = _statistics(request, twilio)
    rows = []
    for queue in twilio.engine.read.queues():
        if FriendlyName is not None and queue.name != FriendlyName:
            continue
        realtime, cumulative = (
            figures.queue_real_time(queue.id),
            figures.queue_cumulative(queue.id, start, end, thresholds),
        )
        rows.append(
            {
                "account_sid": twilio.settings.account_sid,
                "workspace_sid": twilio.settings.workspace_sid,
                "task_queue_sid": realtime["task_queue_sid"],
                "realtime": realtime,
                "cumulative": cumulative,
            }
        )
    return page_of(request, "task_queues_statistics", rows, Page, PageSize)


@router.get("/TaskQueues/{TaskQueueSid}/RealTimeStatistics")
async def fetch_task_queue_real_time_statistics(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    TaskQueueSid: TaskQueueSid,
    TaskChannel: TaskChannel = None,
) -> dict[str, Any]:
    return _statistics(request, twilio).queue_real_time(_queue(twilio, TaskQueueSid, request))


@router.get("/TaskQueues/{TaskQueueSid}/CumulativeStatistics")
async def fetch_task_queue_cumulative_statistics(
    request: Request,
    twilio: Twilio,
    WorkspaceSid: WorkspaceSid,
    TaskQueueSid: TaskQueueSid,
    EndDate: Annotated[datetime | None, Query(alias="EndDate")] = None,
    Minutes: Annotated[int | None, Query(alias="Minutes", ge=1, le=1_000_000)] = None,
    StartDate: Annotated[datetime | None, Query(alias="StartDate")] = None,
    TaskChannel: TaskChannel = None,
    SplitByWaitTime: Annotated[str | None, Query(alias="SplitByWaitTime", max_length=200)] = None,
) -> dict[str, Any]:
    queue_id = _queue(twilio, TaskQueueSid, request)
    start, end = _window(twilio, StartDate, EndDate, Minutes)
    return _statistics(request, twilio).queue_cumulative(queue_id, start, end, _thresholds(SplitByWaitTime))


@router.get("/Workers/RealTimeStatistics")
async def fetch_workers_real_time_statistics(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, TaskChannel: TaskChannel = None
) -> dict[str, Any]:
    return _statistics(request, twilio).workers_real_time()
