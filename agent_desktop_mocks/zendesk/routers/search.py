"""`/api/v2/search`: the desk asks only for end users (`type:user`, `role:end-user`, `phone:`, `email:`); users
made through the API are found only once the index has them (users_store.py). "The Search API returns up to 1,000
results per query": the results past the thousandth are not served, and a page that starts past them is a 422."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.zendesk import users_store
from agent_desktop_mocks.zendesk.errors import ZendeskError
from agent_desktop_mocks.zendesk.paging import Page, PerPage, page_of
from agent_desktop_mocks.zendesk.routers.users import base_url, searched
from agent_desktop_mocks.zendesk.state import Zendesk

router = APIRouter(prefix="/api/v2", tags=["search"])
RESULTS_MOST = 1_000


@router.get("/search", summary="Search results (users only)")
async def search(
    zendesk: Zendesk,
    request: Request,
    query: str = Query(min_length=1),
    page: Page = 1,
    per_page: PerPage = 100,
    sort_by: str | None = None,
    sort_order: str | None = Query(None, pattern="^(asc|desc)$"),
) -> dict[str, Any]:
    if (page - 1) * per_page >= RESULTS_MOST:  # page 11 at 100 a page: past what Zendesk serves
        raise ZendeskError(
            422,
            "InvalidPageNumber",
            f"The Search API returns up to {RESULTS_MOST:,} results per query: "
            f"page {page} at {per_page} a page starts past them",
        )
    found = searched(zendesk, query)[:RESULTS_MOST]
    results = [{**users_store.user_json(zendesk.db, c, base_url(request)), "result_type": "user"} for c in found]
    return page_of(request, "results", results, page, per_page)
