"""Interactions written back at wrap-up, made safe to retry with an `Idempotency-Key`."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, status
from fastapi.responses import JSONResponse

from mock_backends.crm import store
from mock_backends.crm.schemas import Interaction, InteractionCreate
from mock_backends.crm.state import Crm

router = APIRouter(prefix="/interactions", tags=["interactions"])

REPLAY_HEADER = "Idempotent-Replayed"


def _request_hash(body: InteractionCreate) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post(
    "",
    response_model=Interaction,
    status_code=status.HTTP_201_CREATED,
    summary="Write an interaction (idempotent)",
    description=(
        "Stores the interaction with `created_at` = now and answers 201 with it. The `Idempotency-Key` "
        "header is **required** (a missing one is FastAPI's 422 validation error). A retry with the "
        f"same key and the same body answers the first response again with `{REPLAY_HEADER}: true` and "
        "stores nothing; the same key with a different body is 422. An unknown `customer_id` is 404."
    ),
    responses={
        201: {"headers": {REPLAY_HEADER: {"description": "`true` when this is a replayed answer"}}},
        404: {"description": "No customer with this id"},
        422: {"description": "Missing Idempotency-Key, invalid body, or a key reused with another body"},
    },
)
async def create_interaction(
    crm: Crm,
    body: InteractionCreate,
    idempotency_key: Annotated[
        str, Header(min_length=1, max_length=255, description="Unique per write; reuse it only to retry")
    ],
) -> Interaction | JSONResponse:
    request_hash = _request_hash(body)
    previous = store.find_idempotency_key(crm.db, idempotency_key)
    if previous is not None:
        if previous["request_hash"] != request_hash:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"Idempotency-Key {idempotency_key!r} was already used with a different body",
            )
        return JSONResponse(
            json.loads(previous["response_json"]),
            status_code=previous["status_code"],
            headers={REPLAY_HEADER: "true"},
        )
    if store.get_customer(crm.db, body.customer_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {body.customer_id}")
    interaction = Interaction(
        id=store.next_id(crm.db, "interactions", "int"),
        created_at=crm.clock.now(),
        **body.model_dump(),
    )
    store.insert_interaction(crm.db, interaction, idempotency_key, request_hash)
    return interaction
