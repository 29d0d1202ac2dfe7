"""Interactions written back at wrap-up, made safe to retry with an `Idempotency-Key`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from mock_backends.crm import idempotency, store
from mock_backends.crm.idempotency import REPLAY_HEADER, IdempotencyKey
from mock_backends.crm.schemas import Interaction, InteractionCreate
from mock_backends.crm.state import Crm

router = APIRouter(prefix="/interactions", tags=["interactions"])

__all__ = ["REPLAY_HEADER", "router"]


@router.post(
    "",
    response_model=Interaction,
    status_code=status.HTTP_201_CREATED,
    summary="Write an interaction (idempotent)",
    description=(
        "Stores the interaction with `created_at` = now and answers 201 with it. The `Idempotency-Key` "
        "header is **required** (a missing one is FastAPI's 422 validation error). "
        + idempotency.REPLAY_DOC
        + " An unknown `customer_id` is 404."
    ),
    responses={
        201: idempotency.REPLAY_RESPONSE,
        404: {"description": "No customer with this id"},
        422: {"description": "Missing Idempotency-Key, invalid body, or a key reused with another body"},
    },
)
async def create_interaction(crm: Crm, body: InteractionCreate, idempotency_key: IdempotencyKey):
    def create() -> Interaction:
        if store.get_customer(crm.db, body.customer_id) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {body.customer_id}")
        interaction = Interaction(
            id=store.next_id(crm.db, "interactions", "int"), created_at=crm.clock.now(), **body.model_dump()
        )
        store.insert_interaction(crm.db, interaction)
        return interaction

    return idempotency.write(crm, idempotency_key, "POST /v1/interactions", body, create)
