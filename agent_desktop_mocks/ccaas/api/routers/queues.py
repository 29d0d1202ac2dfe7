"""Queues and their statistics (any valid token; a supervisor sees their own queues); waiting contacts and priority
(a supervisor of the queue)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from agent_desktop_mocks.ccaas.api.dependencies import (
    EngineDep,
    PrincipalDep,
    ScopeDep,
    SupervisedQueueDep,
    SupervisorDep,
)
from agent_desktop_mocks.ccaas.core.wire.requests import QueuePatch
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, Message, Queue, QueueStats, StatsWindow

router = APIRouter(prefix="/v1/queues", tags=["queues"])


@router.get("", response_model=list[Queue], summary="Queues, highest priority first")
async def queues(who: PrincipalDep, engine: EngineDep, scope: ScopeDep) -> list[Queue]:
    return [queue for queue in engine.read.queues() if scope.keeps(who, queue.id)]  # a supervisor: their own


@router.get("/stats", response_model=list[QueueStats], summary="Per queue, over a sliding window or since midnight UTC")
async def stats(
    who: PrincipalDep, engine: EngineDep, scope: ScopeDep, window: Annotated[StatsWindow, Query()] = "today"
) -> list[QueueStats]:
    return [stats for stats in engine.queue_stats(window) if scope.keeps(who, stats.queue_id)]


@router.get(
    "/{queue_id}/waiting",
    response_model=list[Contact],
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="Contacts queued or offered, longest waiting first (supervisor)",
)
async def waiting(queue_id: SupervisedQueueDep, _: SupervisorDep, engine: EngineDep) -> list[Contact]:
    return engine.read.waiting(queue_id)


@router.patch(
    "/{queue_id}",
    response_model=Queue,
    responses={403: {"model": Message}, 404: {"model": Message}},
    summary="Change a queue's routing priority, ACW timeout, wrap-up rules or response targets (supervisor); fields "
    "left out stay",
)
async def patch(queue_id: SupervisedQueueDep, body: QueuePatch, _: SupervisorDep, engine: EngineDep) -> Queue:
    callbacks = body.model_dump(
        include={"callback_offer_after_s", "callback_retry_s", "callback_max_attempts", "voicemail_after_s"}
        | {"voicemail_max_s"}
    )
    return engine.supervisor.update_queue(
        queue_id,
        priority=body.priority,
        acw_timeout_s=body.acw_timeout_s,
        priority_rules=body.priority_rules,
        callbacks={k: v for k, v in callbacks.items() if v is not None},
        wrap_up=body.wrap_up,
        auto_accept=body.auto_accept,
        response_targets=body.response_targets,
    )
