"""The hostile transport: under a backend's client, it asks hypothesis what to do to each answer of the inner
(replayed) transport, does it, and notes every credential sent to a host the backend was not configured with.

Time is a knob: a slow answer longer than the client's read timeout is the `httpx.ReadTimeout` httpx would
raise, shorter it is answered at once; nobody waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

import httpx
from hypothesis import strategies as st

from agent_desktop.adapters.wire.paging import origin
from tests.support.hostile import mutations as m
from tests.support.hostile.headers import Headers
from tests.support.hostile.strategies import Body, Cut, Drop, Field, Link, Status, parsed, spoiling

Choose = Callable[[httpx.Response], st.SearchStrategy[Any]]


class HostileTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        draw: Callable[[Any], Any],
        allowed: Iterable[str],
        read_timeout_s: float,
        storm: Any = None,
        plan: Callable[[httpx.Request], Any] | None = None,
        choose: Choose = spoiling,
    ) -> None:
        """`draw`: hypothesis' `data.draw`; `allowed`: the base URLs the backend was configured with; `plan`: what
        to do to the answer to a request, instead of drawing it (an example test); `choose`: what may be done to an
        answer (strategies.py's `spoiling`, or headers.py's `headers` only)."""
        self._inner, self._draw, self._storm, self._plan, self._choose = inner, draw, storm, plan, choose
        self._allowed = {origin(url) for url in allowed}
        self._timeout_s = read_timeout_s
        self._looping: set[str] = set()  # URLs whose answer links to itself: asked again, it does again
        self.leaks: list[str] = []  # where a credential went that it should not have
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        await asyncio.sleep(0)  # as a network would: a loop of requests never starves the timer that bounds it
        if _credential(request) and origin(request.url) not in self._allowed:
            self.leaks.append(
                f"{request.method} {request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
            )
        response = await self._inner.handle_async_request(request)
        await response.aread()
        url = str(request.url)
        if url in self._looping:
            return m.linked(response, _json(response), url)
        if self._plan is not None:
            spoil = self._plan(request)
        else:
            spoil = self._storm if self._storm is not None else self._draw(self._choose(response))
        return self._apply(spoil, request, response)

    def _apply(self, spoil: Any, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if spoil is None:
            return response
        if isinstance(spoil, m.Slow):
            if spoil.seconds >= self._timeout_s:
                raise httpx.ReadTimeout("the answer took longer than the read timeout", request=request)
            return response
        if isinstance(spoil, Cut):
            error = {"refused": httpx.ConnectError, "reset": httpx.RemoteProtocolError, "read": httpx.ReadError}[
                spoil.how
            ]
            raise error(f"hostile transport: {spoil.how}", request=request)
        if isinstance(spoil, Status):
            return m.with_status(response, spoil.code, spoil.retry_after, spoil.keep_body)
        if isinstance(spoil, Field):
            return m.with_json(response, m.replaced(_json(response), spoil.path, spoil.value))
        if isinstance(spoil, Drop):
            return m.with_json(response, m.dropped(_json(response), spoil.path))
        if isinstance(spoil, Link):
            if spoil.to == "self":
                self._looping.add(str(request.url))
                return m.linked(response, _json(response), str(request.url))
            return m.linked(response, _json(response), spoil.to)
        if isinstance(spoil, Body):
            return _body(spoil.kind, response)
        if isinstance(spoil, Headers):
            return m.with_headers(response, spoil.replaced(), spoil.status)
        raise AssertionError(f"unknown spoiling {spoil!r}")


def _body(kind: str, response: httpx.Response) -> httpx.Response:
    content = response.content
    if kind == "html":
        return m.with_body(response, m.HTML, "text/html; charset=utf-8")
    if kind == "huge":
        return m.huge(response)
    bodies = {
        "empty": b"",
        "truncated": content[: len(content) // 2],
        "bad_utf8": content[:1] + b"\xff\xfe\xc3(" + content[1:],
        "nested": m.nested(100_000),
        "list": b"[]",
        "text": b'"ok"',
        "null": b"null",
    }
    return m.with_body(response, bodies[kind])


def _json(response: httpx.Response) -> Any:
    value = parsed(response)
    return value if value is not None else {}


def _credential(request: httpx.Request) -> bool:
    return "authorization" in request.headers or "cookie" in request.headers
