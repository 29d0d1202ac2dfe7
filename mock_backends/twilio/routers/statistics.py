"""Statistics (FetchTaskQueueRealTimeStatistics, FetchTaskQueueCumulativeStatistics,
FetchWorkersRealTimeStatistics): what a supervisor's console reads of the floor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from mock_backends.twilio.errors import TwilioError, not_found
from mock_backends.twilio.routers.common import WorkspaceSid, sid_param
from mock_backends.twilio.state import Twilio, TwilioState
from mock_backends.twilio.statistics import Statistics, window

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


@router.get("/TaskQueues/{TaskQueueSid}/RealTimeStatistics")
async def fetch_task_queue_real_time_statistics(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, TaskQueueSid: TaskQueueSid, TaskChannel: TaskChannel = None
) -> dict:
    return _statistics(request, twilio).queue_real_time(_queue(twilio, TaskQueueSid, request))


@router.get("/TaskQueues/{TaskQueueSid}/CumulativeStatistics")
async def fetch_task_queue_cumulative_statistics(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, TaskQueueSid: TaskQueueSid,
    EndDate: Annotated[datetime | None, Query(alias="EndDate")] = None,
    Minutes: Annotated[int | None, Query(alias="Minutes", ge=1, le=1_000_000)] = None,
    StartDate: Annotated[datetime | None, Query(alias="StartDate")] = None,
    TaskChannel: TaskChannel = None,
    SplitByWaitTime: Annotated[str | None, Query(alias="SplitByWaitTime", max_length=200)] = None,
) -> dict:  # fmt: skip
    queue_id = _queue(twilio, TaskQueueSid, request)
    for name, value in (("StartDate", StartDate), ("EndDate", EndDate)):
        if value is not None and (value.tzinfo is None or not 1970 <= value.year <= 9998):
            raise TwilioError(400, 20001, f"Invalid parameter {name}: an ISO 8601 date-time in GMT (…Z), 1970 to 9998")
    start, end = window(twilio.engine.read.now(), *(d.astimezone(UTC) if d else None for d in (StartDate, EndDate)), Minutes)
    if start > end:
        raise TwilioError(400, 20001, "Invalid parameter StartDate: after EndDate")
    return _statistics(request, twilio).queue_cumulative(queue_id, start, end, _thresholds(SplitByWaitTime))


@router.get("/Workers/RealTimeStatistics")
async def fetch_workers_real_time_statistics(
    request: Request, twilio: Twilio, WorkspaceSid: WorkspaceSid, TaskChannel: TaskChannel = None
) -> dict:
    return _statistics(request, twilio).workers_real_time()
