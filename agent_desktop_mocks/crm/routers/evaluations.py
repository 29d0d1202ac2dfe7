"""Quality evaluations: one record per evaluation the contact center released, written by the
supervisor's desk (idempotent, and once per `evaluation_id` whatever the key), read back with the contact's
interactions by a supervisor's token only, as supervision records are."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from agent_desktop_mocks.crm import idempotency, store
from agent_desktop_mocks.crm.access import SupervisorCaller
from agent_desktop_mocks.crm.idempotency import IdempotencyKey
from agent_desktop_mocks.crm.schemas import EvaluationRecord, EvaluationRecordCreate
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/evaluations", tags=["evaluations"])


@idempotency.creates(
    router,
    "",
    EvaluationRecord,
    summary="Record a released quality evaluation of a contact (idempotent; once per evaluation)",
    before="Kept by `contact_id`, listed under an interaction's `evaluations` for a supervisor's token only (the "
    "agents' token: 403 here, none listed). A second record of the same `evaluation_id` under another key is 409. "
    "The `Idempotency-Key` header is required. ",
    responses={409: {"description": "This evaluation is recorded already (under another key)"}},
)
async def record_evaluation(
    crm: Crm, body: EvaluationRecordCreate, idempotency_key: IdempotencyKey, who: SupervisorCaller
) -> JSONResponse:
    def create() -> EvaluationRecord:
        if store.evaluation_record(crm.db, body.evaluation_id) is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, f"evaluation {body.evaluation_id} is recorded already")
        entry = EvaluationRecord(
            id=store.next_id(crm.db, "evaluations", "eval"), created_at=crm.clock.now(), **body.model_dump()
        )
        store.insert_evaluation(crm.db, entry)
        return entry

    return idempotency.write(crm, idempotency_key, "POST /v1/evaluations", body, create)
