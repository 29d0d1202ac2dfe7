"""Zendesk's offset paging: `page` and `per_page` (at most 100) in, `next_page`/`previous_page` URLs and
`count` out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request

Page = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]


def page_of(request: Request, key: str, items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    start = (page - 1) * per_page
    chunk = items[start : start + per_page]

    def link(number: int) -> str:
        return str(request.url.include_query_params(page=number, per_page=per_page))

    return {
        key: chunk,
        "count": len(items),
        "next_page": link(page + 1) if start + per_page < len(items) else None,
        "previous_page": link(page - 1) if page > 1 and items else None,
    }
