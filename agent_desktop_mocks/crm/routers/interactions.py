"""Interactions written back at wrap-up, made safe to retry with an `Idempotency-Key`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import JSONResponse

from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_mocks.common.http.idempotency import REPLAY_HEADER
from agent_desktop_mocks.crm import idempotency, store
from agent_desktop_mocks.crm.access import Caller, sees_supervision
from agent_desktop_mocks.crm.idempotency import IdempotencyKey
from agent_desktop_mocks.crm.schemas import Interaction, InteractionCreate
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/interactions", tags=["interactions"])

__all__ = ["REPLAY_HEADER", "router"]


@idempotency.creates(
    router,
    "",
    Interaction,
    summary="Write an interaction (idempotent)",
    before="Stores the interaction with `created_at` = now and answers 201 with it. The `Idempotency-Key` "
    "header is **required** (a missing one is FastAPI's 422 validation error). ",
    after=" An unknown `customer_id` is 404; a null `customer_id` stores the interaction unattributed (a "
    "withheld caller the agent could not identify).",
    responses={
        404: {"description": "No customer with this id"},
        422: {"description": "Missing Idempotency-Key, invalid body, or a key reused with another body"},
    },
)
async def create_interaction(crm: Crm, body: InteractionCreate, idempotency_key: IdempotencyKey) -> JSONResponse:
    def create() -> Interaction:
        if body.customer_id is not None and store.get_customer(crm.db, body.customer_id) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {body.customer_id}")
        case = store.get_case(crm.db, body.case_id) if body.case_id is not None else None
        if body.case_id is not None and case is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {body.case_id}")
        interaction = Interaction(
            id=store.next_id(crm.db, "interactions", "int"),
            created_at=crm.clock.now(),
            transcript_count=len(body.transcript),
            **body.model_dump(exclude={"case_id"}),
        )
        store.insert_interaction(crm.db, interaction)
        if case is not None and case.status != "closed":  # the link made with it, in the same transaction
            store.link_case(crm.db, case.id, body.contact_id, crm.clock.now())
        return interaction

    return idempotency.write(crm, idempotency_key, "POST /v1/interactions", body, create)


@router.get(
    "",
    response_model=list[Interaction],
    summary="Interactions by contact, or the unattributed ones",
    description=(
        "Newest first. `unattributed=true`: those written with no customer (withheld callers), optionally "
        "for one `contact_id`; `contact_id` alone: every interaction written for that contact. One of the "
        "two is required (422 otherwise)."
    ),
    responses={422: {"description": "Neither `unattributed=true` nor `contact_id` given"}},
)
async def list_interactions(
    crm: Crm,
    who: Caller,
    unattributed: Annotated[bool, Query(description="Only those with no customer")] = False,
    contact_id: Annotated[str | None, Query(max_length=100, description="Only those of this contact")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Interaction]:
    if unattributed:
        return store.unattributed_interactions(crm.db, contact_id, limit)
    if contact_id is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "give unattributed=true or a contact_id")
    return [_for(who, found) for found in store.interactions_of_contact(crm.db, contact_id, limit)]


@router.get(
    "/{interaction_id}",
    response_model=Interaction,
    summary="One interaction with its whole transcript",
    description="Lists give a transcript's length only (`transcript_count`); this gives its messages, oldest first.",
    responses={404: {"description": "No interaction with this id"}},
)
async def get_interaction(crm: Crm, interaction_id: str, who: Caller) -> Interaction:
    found = store.interaction(crm.db, interaction_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no interaction {interaction_id}")
    return _for(who, found)


def _for(who: Principal, interaction: Interaction) -> Interaction:
    """The interaction as this caller may read it: its supervision records for a supervisor only (access.py)."""
    if sees_supervision(who) or not (interaction.supervision or interaction.evaluations):
        return interaction
    return interaction.model_copy(update={"supervision": [], "evaluations": []})
