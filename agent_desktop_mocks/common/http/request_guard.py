"""What every mock refuses before a route sees it, and error answers that cannot fail to encode.

`guard_requests(app)` is called by each `create_app`. It adds one ASGI middleware that answers
413 to a body over `MAX_BODY_BYTES` (from `Content-Length`, or while reading a chunked body: nothing
is parsed; the rest of the body is read and dropped first, so the client reads the answer) and 422 to a JSON body holding text that no record should hold —
a lone UTF-16 surrogate (`"\\udc80"`: it cannot be stored in SQLite nor sent back as UTF-8) or a NUL
character, or JSON nested too deep to parse — and it makes the validation and HTTP error answers ASCII JSON, so echoing whatever a
client sent can never turn a 4xx into a 500.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The largest text field is 50,000 characters (CRM notes); written as \uXXXX escapes that is 300 kB.
MAX_BODY_BYTES = 1 << 20
# A body over the limit is read to its end (and dropped) before the 413 up to this size: a client still
# sending when the server closed would see the connection reset, not the 413, and take it for an outage
# worth retrying. Bigger ones are answered at once, the connection closed.
DRAIN_MAX_BYTES = 16 * MAX_BODY_BYTES

_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})
TOO_DEEP = {
    "type": "json_invalid",
    "loc": ["body"],
    "msg": "JSON nested deeper than the parser reads (about 1,000 levels): no request of this API nests more than a few",
}


class SafeJSONResponse(JSONResponse):
    """JSON in ASCII: whatever text a client sent (even a lone surrogate) can be echoed without a server error."""

    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def guard_requests(app: FastAPI, max_body_bytes: int = MAX_BODY_BYTES) -> None:
    """Install the body guard and the encoding-safe error handlers on one mock app."""
    app.add_middleware(RequestGuard, max_body_bytes=max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, error: RequestValidationError) -> JSONResponse:
        return SafeJSONResponse(jsonable_encoder({"detail": _echoable(error.errors())}), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return SafeJSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)


def _echoable(value: Any) -> Any:
    """A validation error's echo of the input made writable as JSON: bytes that are not UTF-8 and infinite or
    NaN numbers as text. Both made the 422 itself a 500 (a body of `\\xff...`, or `-1e999`; found by
    tests/contract/mocks/test_broken_json_writes.py)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return repr(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, (list, tuple)):
        return [_echoable(item) for item in value]
    if isinstance(value, dict):
        return {key: _echoable(item) for key, item in value.items()}
    return value


def bad_text(value: str) -> str | None:
    """Why this text cannot be accepted, or None: a NUL, or a surrogate that is not part of a pair."""
    if "\x00" in value:
        return "text must not contain a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (no lone surrogates)"
    return None


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a parsed JSON document (keys included) with where it is."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, key), key
            yield from _strings(item, (*loc, key))


def first_bad_text(document: Any) -> dict[str, Any] | None:
    """A FastAPI-shaped error for the first unacceptable string in a JSON document, or None."""
    for loc, value in _strings(document, ("body",)):
        reason = bad_text(value)
        if reason is not None:
            return {"type": "value_error", "loc": list(loc), "msg": reason, "input": value}
    return None


class _TooLarge(Exception):
    def __init__(self, ended: bool) -> None:
        super().__init__()
        self.ended = ended  # the client sent its last chunk: there is nothing left to read


class RequestGuard:
    """Pure ASGI middleware (streams pass through untouched): size limit, then text check, then the app."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            if declared <= DRAIN_MAX_BYTES:
                await _drain(receive, declared)
            await self._too_large(scope, receive, send)
            return
        try:
            body = await self._read(receive)
        except _TooLarge as too_large:
            if not too_large.ended:
                await _drain(receive, DRAIN_MAX_BYTES)
            await self._too_large(scope, receive, send)
            return
        if body and _is_json(scope):
            try:
                error = first_bad_text(json.loads(body))
            except ValueError:
                error = None  # not JSON: the route's own parsing answers it
            except RecursionError:  # FastAPI's parser would fail the same way, and answer a vague 400
                error = TOO_DEEP
            if error is not None:
                await SafeJSONResponse(jsonable_encoder({"detail": [error]}), status_code=422)(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app sees an empty body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge(ended=not message.get("more_body", False))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body over {self.max_body_bytes} bytes"
        # Connection: close, so the server does not read (and discard) the rest of a huge body.
        response = SafeJSONResponse({"detail": detail}, status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)


async def _drain(receive: Receive, most: int) -> None:
    """Read what the client still sends of a refused body, up to `most` bytes, keeping none of it."""
    size = 0
    while size <= most:
        message = await receive()
        if message["type"] != "http.request":
            return
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _is_json(scope: Scope) -> bool:
    """FastAPI reads a body without a content type as JSON too."""
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])  # (ASGI's scope is a dict of Any)
    for name, value in headers:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return True


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A `receive` that hands the app the body already read, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
