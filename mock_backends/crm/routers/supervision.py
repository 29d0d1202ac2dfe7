"""Supervision records (issue 22): who monitored, whispered or barged on a contact, and when; written by the
supervisor's desk (idempotent), read back with the contact's interactions."""

from __future__ import annotations

from fastapi import APIRouter, status

from mock_backends.crm import idempotency, store
from mock_backends.crm.idempotency import IdempotencyKey
from mock_backends.crm.schemas import Supervision, SupervisionCreate
from mock_backends.crm.state import Crm

router = APIRouter(prefix="/supervision", tags=["supervision"])


@router.post(
    "",
    response_model=Supervision,
    status_code=status.HTTP_201_CREATED,
    summary="Record a supervisor joining, changing mode or leaving a contact (idempotent)",
    description=(
        "Kept by `contact_id`, whether or not the contact's interaction is written yet (the agent writes it at "
        "wrap-up, often after the supervisor has left); `GET /v1/interactions/{id}` and `?contact_id=` list "
        "them under `supervision`. The `Idempotency-Key` header is required. " + idempotency.REPLAY_DOC
    ),
    responses={201: idempotency.REPLAY_RESPONSE},
)
async def record_supervision(crm: Crm, body: SupervisionCreate, idempotency_key: IdempotencyKey):
    def create() -> Supervision:
        entry = Supervision(id=store.next_id(crm.db, "supervision", "sup"), created_at=crm.clock.now(), **body.model_dump())
        store.insert_supervision(crm.db, entry)
        return entry

    return idempotency.write(crm, idempotency_key, "POST /v1/supervision", body, create)
