"""`/api/v2/search`: the desk asks only for end users (`type:user`, `role:end-user`, `phone:`, `email:`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from mock_backends.crm.schemas import Customer
from mock_backends.zendesk import records
from mock_backends.zendesk.paging import Page, PerPage, page_of
from mock_backends.zendesk.routers.users import base_url, customers_matching
from mock_backends.zendesk.state import Zendesk, ZendeskState

router = APIRouter(prefix="/api/v2", tags=["search"])


def _users_for(zendesk: ZendeskState, query: str) -> list[Customer]:
    words, wanted = [], None
    for term in query.split():
        key, colon, value = term.partition(":")
        key = key.lower()
        if colon and key == "type" and value.lower() != "user":
            return []  # tickets, organizations...: not served here
        if colon and key == "role" and value.lower() != "end-user":
            return []  # every user here is an end user
        if colon and key in ("phone", "email"):
            wanted = value
        elif not (colon and key in ("type", "role")):
            words.append(term)
    if wanted is not None:
        return customers_matching(zendesk, wanted)
    return customers_matching(zendesk, " ".join(words)) if words else []


@router.get("/search", summary="Search results (users only)")
async def search(
    zendesk: Zendesk, request: Request, query: str = Query(min_length=1), page: Page = 1, per_page: PerPage = 100,
    sort_by: str | None = None, sort_order: str | None = Query(None, pattern="^(asc|desc)$"),
) -> dict[str, Any]:  # fmt: skip
    found = _users_for(zendesk, query)
    results = [{**records.user_json(c, base_url(request)), "result_type": "user"} for c in found]
    return page_of(request, "results", results, page, per_page)
