"""Ways a vendor's answer goes bad, each applied to a real answer: what a broken, hostile or overloaded server
sends. The values are those that broke a desk once and their neighbours."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from agent_desktop.adapters.wire.answer_json import MAX_BYTES

# A value put in place of one field (or item) of a JSON answer: other types, dates that are not dates,
# numbers no one writes, texts that are not text (lone surrogates, controls, markup), nesting, size.
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    0,
    -1,
    1.5,
    10**30,
    True,
    False,
    "",
    "not a date",
    "²",
    "NaN",
    "-1",
    "1e400",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "2024-02-30T25:61:00Z",
    "\ud800",
    "\x00",
    "\x1b[31mred",
    "[bold]Supervisor[/bold]",
    "x" * 5_000,
    {},
    [],
    {"sid": 1},
    [{}],
    [None],
    {"a": {"b": {"c": {}}}},
    "WT" + "0" * 32,
    "https://evil.example/steal",
    '{"a":' * 1100 + "1" + "}" * 1100,
)
FOREIGN = "https://evil.example:8443/next?PageToken=stolen"
HTML = b"<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body>Back soon</body></html>"


@dataclass(frozen=True)
class Slow:
    """The answer takes `seconds`: past the client's read timeout that is the timeout httpx raises; the clock is
    a knob, nobody waits."""

    seconds: float


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document (the root included), as keys and indexes."""
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:20]):  # a long page's first items stand for the rest
            found += paths(item, (*here, index))
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (replaced(v, rest, new) if k == head else v) for k, v in value.items()}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


def dropped(value: Any, path: tuple[Any, ...]) -> Any:
    if len(path) == 1:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != path[0]}
        return [v for i, v in enumerate(value) if i != path[0]]
    head = path[0]
    if isinstance(value, dict):
        return {k: (dropped(v, path[1:]) if k == head else v) for k, v in value.items()}
    return [dropped(v, path[1:]) if i == head else v for i, v in enumerate(value)]


def with_json(response: httpx.Response, value: Any) -> httpx.Response:
    return _answer(response, response.status_code, json.dumps(value).encode())


def with_body(response: httpx.Response, content: bytes, content_type: str = "application/json") -> httpx.Response:
    return _answer(response, response.status_code, content, content_type)


def with_status(
    response: httpx.Response, status: int, retry_after: str | None = None, keep_body: bool = True
) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return _answer(response, status, response.content if keep_body else b"", extra=headers)


def with_headers(
    response: httpx.Response, replaced: dict[bytes, tuple[bytes, ...]], status: int | None = None
) -> httpx.Response:
    """The answer with each header of `replaced` sent as those values (none: dropped; several: repeated), as bytes
    on the wire; `status` instead of its own where given."""
    kept = [
        (name, value)
        for name, value in response.headers.raw
        if name.lower() not in (b"content-length", b"content-encoding", *replaced)
    ]
    added = [(name, value) for name, given in replaced.items() for value in given]
    return httpx.Response(
        status or response.status_code, headers=kept + added, content=response.content, request=response.request
    )


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def huge(response: httpx.Response) -> httpx.Response:
    """The answer behind more than the largest answer the desk reads (JSON allows the whitespace)."""
    return with_body(response, b" " * (MAX_BYTES + 1) + response.content)


def links(value: Any) -> list[tuple[Any, ...]]:
    """Where a page says where the next one is (Twilio's `meta.next_page_url`, Zendesk's `next_page`, a cursor's)."""
    return [p for p in paths(value) if p and p[-1] in ("next_page_url", "next_page", "next", "after_url")]


def linked(response: httpx.Response, value: Any, to: str) -> httpx.Response:
    """Every next-page link in the page pointing to `to`; a page without one gets Twilio's and Zendesk's."""
    places = links(value)
    if not places and isinstance(value, dict):
        meta = value.get("meta")
        value = {
            **value,
            "meta": {**(meta if isinstance(meta, dict) else {}), "next_page_url": to},
            "next_page": to,
        }
    for place in places:
        value = replaced(value, place, to)
    return with_json(response, value)


Mutation = Callable[[httpx.Response], httpx.Response]


def _answer(
    response: httpx.Response,
    status: int,
    content: bytes,
    content_type: str = "application/json",
    extra: dict[str, str] | None = None,
) -> httpx.Response:
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "content-encoding", "content-type")
    }
    return httpx.Response(
        status,
        headers={**headers, "content-type": content_type, **(extra or {})},
        content=content,
        request=response.request,
    )
