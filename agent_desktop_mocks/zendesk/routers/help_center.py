"""Help Center: Search Articles and Show Article, as the Help Center API reference describes them.

"Returns a default number of 25 articles per page, up to a maximum of 1000 results"; `per_page` 1 to 100, `page`
above 0; "sorted by relevance by default"; "You must specify at least one of the following parameters in your
request: query, category, section, label_names" (docs/vendors/zendesk.md cites each)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.zendesk import help_center
from agent_desktop_mocks.zendesk.errors import ZendeskError, not_found
from agent_desktop_mocks.zendesk.paging import Page
from agent_desktop_mocks.zendesk.routers.users import base_url
from agent_desktop_mocks.zendesk.state import Zendesk

router = APIRouter(prefix="/api/v2/help_center", tags=["help center"])
RESULTS_MOST = 1_000


@router.get("/articles/search", summary="Search Articles")
async def search_articles(
    zendesk: Zendesk,
    request: Request,
    query: Annotated[str | None, Query(max_length=10_000)] = None,
    category: int | None = None,
    section: int | None = None,
    label_names: str | None = None,
    locale: str | None = None,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> dict[str, Any]:
    if not (query or category or section or label_names):
        raise ZendeskError(400, "InvalidSearch", "Specify at least one of query, category, section or label_names")
    if (page - 1) * per_page >= RESULTS_MOST:
        raise ZendeskError(
            422, "InvalidPageNumber", f"Search returns up to {RESULTS_MOST:,} results: page {page} starts past them"
        )
    words = knowledge_store.terms(query or "")
    queue = _queue_of(category, label_names)
    if not words or queue == NONE_MATCH or locale not in (None, "en-us", "*"):
        # a filter alone, or a query of punctuation only: Zendesk would list by filter; the mock finds nothing to rank
        return {"results": [], "count": 0, "next_page": None, "previous_page": None}
    start = (page - 1) * per_page
    hits = knowledge_store.search(zendesk.db, words, start + per_page, queue)[start:]
    if section is not None:
        hits = [hit for hit in hits if help_center.section_id(hit.section) == section]
    total = knowledge_store.count(zendesk.db, words, queue)

    def link(number: int) -> str:
        return str(request.url.include_query_params(page=number, per_page=per_page))

    return {
        "results": [help_center.search_result(hit, base_url(request)) for hit in hits],
        "count": total,  # "the actual number of results", past the 1,000 served
        "next_page": link(page + 1) if start + per_page < min(total, RESULTS_MOST) else None,
        "previous_page": link(page - 1) if page > 1 else None,
    }


NONE_MATCH = "\x00none"


def _queue_of(category: int | None, label_names: str | None) -> str | None:
    """The one queue a category or a label keeps (articles are labelled with their queue), None for any, or
    NONE_MATCH where the filters keep no article."""
    queues: set[str] | None = None
    if category is not None:
        queues = {queue for queue, number in help_center.CATEGORIES.items() if number == category}
    labels = {label.strip() for label in (label_names or "").split(",") if label.strip()}
    if labels:
        queues = labels if queues is None else queues & labels  # an article has one label: all must be it
        if len(labels) > 1:
            queues = set()
    if queues is None:
        return None
    return next(iter(queues)) if len(queues) == 1 and queues <= set(help_center.CATEGORIES) else NONE_MATCH


@router.get("/articles/{article_id}", summary="Show Article")
@router.get("/{locale}/articles/{article_id}", summary="Show Article (in a locale)")
async def show_article(zendesk: Zendesk, request: Request, article_id: int, locale: str = "en-us") -> dict[str, Any]:
    row = knowledge_store.article(zendesk.db, f"kb-{article_id:05d}") if 0 < article_id < 100_000 else None
    if row is None or locale != "en-us":
        raise not_found(f"article {article_id}")
    return {"article": help_center.article_json(row, base_url(request), help_center.html_body(row.body))}
