"""Twilio's paging: `PageSize` (at most 1000, 50 by default), `Page` and `PageToken` in; the list under its
key and `meta` (page, page_size, first/previous/next page URLs, url, key) out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request

PageSize = Annotated[int, Query(alias="PageSize", ge=1, le=1000)]
PageNumber = Annotated[int, Query(alias="Page", ge=0, le=1_000_000)]
PageToken = Annotated[str | None, Query(alias="PageToken", max_length=100)]


def page_of(request: Request, key: str, items: list[Any], page: int, page_size: int) -> dict[str, Any]:
    start = page * page_size
    chunk = items[start : start + page_size]

    def link(number: int) -> str:
        return str(request.url.include_query_params(Page=number, PageSize=page_size, PageToken=f"PT{number}"))

    return {
        key: chunk,
        "meta": {
            "page": page,
            "page_size": page_size,
            "first_page_url": str(request.url.include_query_params(Page=0, PageSize=page_size)),
            "previous_page_url": link(page - 1) if page > 0 else None,
            "next_page_url": link(page + 1) if start + page_size < len(items) else None,
            "url": str(request.url),
            "key": key,
        },
    }
