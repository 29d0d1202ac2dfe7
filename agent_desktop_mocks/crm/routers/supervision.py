"""Supervision records: who monitored, whispered or barged on a contact, and when; written by the
supervisor's desk (idempotent), read back with the contact's interactions."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from agent_desktop_mocks.crm import idempotency, store
from agent_desktop_mocks.crm.access import SupervisorCaller
from agent_desktop_mocks.crm.idempotency import IdempotencyKey
from agent_desktop_mocks.crm.schemas import Supervision, SupervisionCreate
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/supervision", tags=["supervision"])


@idempotency.creates(
    router,
    "",
    Supervision,
    summary="Record a supervisor joining, changing mode or leaving a contact (idempotent)",
    before="Kept by `contact_id`, whether or not the contact's interaction is written yet (the agent writes it at "
    "wrap-up, often after the supervisor has left); `GET /v1/interactions/{id}` and `?contact_id=` list "
    "them under `supervision`, for a supervisor's token only (the agents' token: 403 here, none listed). "
    "The `Idempotency-Key` header is required. ",
)
async def record_supervision(
    crm: Crm, body: SupervisionCreate, idempotency_key: IdempotencyKey, who: SupervisorCaller
) -> JSONResponse:
    def create() -> Supervision:
        entry = Supervision(
            id=store.next_id(crm.db, "supervision", "sup"), created_at=crm.clock.now(), **body.model_dump()
        )
        store.insert_supervision(crm.db, entry)
        return entry

    return idempotency.write(crm, idempotency_key, "POST /v1/supervision", body, create)
