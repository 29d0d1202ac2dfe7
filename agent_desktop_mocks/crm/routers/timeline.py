"""A customer's timeline: their journey across channels in one list, newest first, paged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from agent_desktop_mocks.crm import store, timeline
from agent_desktop_mocks.crm.access import Caller, sees_supervision
from agent_desktop_mocks.crm.schemas import TimelinePage
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/customers", tags=["customers"])

PAGE = 50


@router.get(
    "/{customer_id}/timeline",
    response_model=TimelinePage,
    summary="A customer's timeline: every contact, callback, follow-up, case, note and evaluation, newest first",
    description=(
        "One list across channels, newest first (by `at`, then `id`), with the customer's consent now. Paged by "
        "cursor: pass an answer's `next_before` as `before` for the older page (items written meanwhile do not "
        f"shift it). `limit` defaults to {PAGE}. Quality evaluations are listed for a supervisor's token only, as "
        "an interaction's `evaluations` are."
    ),
    responses={404: {"description": "No customer with this id"}},
)
async def get_timeline(
    crm: Crm,
    customer_id: str,
    who: Caller,
    before: Annotated[str | None, Query(max_length=200, description="`next_before` of the newer page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = PAGE,
) -> TimelinePage:
    customer = store.get_customer(crm.db, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {customer_id}")
    return timeline.timeline(crm.db, customer, before=before, limit=limit, evaluations=sees_supervision(who))
