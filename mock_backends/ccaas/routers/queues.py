"""Queues and their statistics: any valid token."""

from __future__ import annotations

from fastapi import APIRouter

from mock_backends.ccaas.dependencies import EngineDep, PrincipalDep
from mock_backends.ccaas.schemas import Queue, QueueStats

router = APIRouter(prefix="/v1/queues", tags=["queues"])


@router.get("", response_model=list[Queue])
async def queues(_: PrincipalDep, engine: EngineDep) -> list[Queue]:
    return engine.queues()


@router.get("/stats", response_model=list[QueueStats], summary="Per queue, since midnight UTC")
async def stats(_: PrincipalDep, engine: EngineDep) -> list[QueueStats]:
    return engine.queue_stats()
