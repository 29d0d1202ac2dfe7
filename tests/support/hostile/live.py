"""The hostile transport for a running desk: under a backend's client, between it and the real (mock) server, it
spoils the server's answers while a storm lasts, each as the storm's drawn plan says in turn, and passes them as
they are once `heal()`ed. Where `transport.py` replays one call's recorded answers, this one stands under a whole
desk (its streams, its lookups, its outbox) for as long as a scene lasts.

A stream's answer (Server-Sent Events) is passed on as it streams: a storm can refuse it (a status, a cut), not
rewrite it. A request to a host the backend was not configured with never leaves the machine: it is noted as a
leak if it carries a credential, and answered as a refused connection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import strategies as st

from agent_desktop.adapters.wire.paging import origin
from tests.support.hostile import mutations as m
from tests.support.hostile.strategies import BODIES, SLOW, STATUSES, Body, Cut, Drop, Field, Link, Status, parsed
from tests.support.hostile.transport import HostileTransport, _credential


@dataclass(frozen=True)
class Somewhere:
    """A hostile value in the `index`-th place of whatever JSON answer it meets (places counted as `paths` lists
    them, modulo their number): a plan is drawn before the answers it will spoil exist."""

    index: int
    value: Any

    def __repr__(self) -> str:
        shown = repr(self.value)
        return f"Somewhere({self.index}, {shown[:50] + '…' if len(shown) > 50 else shown})"


@dataclass(frozen=True)
class Gone:
    """The `index`-th place (as `Somewhere`'s) left out of the answer."""

    index: int


def spoilings() -> st.SearchStrategy[Any]:
    """One thing done to one answer: nothing, or any of the harness's spoilings."""
    return st.one_of(
        st.none(),
        st.builds(Somewhere, st.integers(0, 60), st.sampled_from(m.HOSTILE_VALUES)),
        st.builds(Gone, st.integers(1, 60)),
        st.sampled_from(BODIES).map(Body),
        st.sampled_from(STATUSES),
        st.sampled_from(SLOW),
        st.sampled_from(("refused", "reset", "read")).map(Cut),
        st.sampled_from(("self", m.FOREIGN)).map(Link),
    )


def storm_plans(max_size: int = 12) -> st.SearchStrategy[list[Any]]:
    """What a storm does to its answers, in turn (cycled): shrinks towards fewer and plainer spoilings."""
    return st.lists(spoilings(), min_size=1, max_size=max_size)


class StormTransport(HostileTransport):
    def __init__(self, plan: list[Any], allowed: Iterable[str], read_timeout_s: float) -> None:
        super().__init__(httpx.AsyncHTTPTransport(), lambda _: None, allowed, read_timeout_s)
        self.plan = plan
        self.storming = False
        self.spoiled = 0  # answers the storm took its turn on

    def heal(self) -> None:
        self.storming = False
        self._looping.clear()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if origin(request.url) not in self._allowed:
            if _credential(request):
                self.leaks.append(
                    f"{request.method} {request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
                )
            raise httpx.ConnectError("hostile transport: a host the desk was not configured with", request=request)
        spoil = self._turn() if self.storming else None
        streaming = "text/event-stream" in request.headers.get("accept", "")
        if streaming:  # refused, cut or timed out before it starts, or passed on as it streams
            refused = isinstance(spoil, Status) and spoil.code >= 300
            if refused or isinstance(spoil, Cut) or (isinstance(spoil, m.Slow) and spoil.seconds >= self._timeout_s):
                return self._apply(spoil, request, httpx.Response(200, request=request))
            return await self._inner.handle_async_request(request)
        response = await self._inner.handle_async_request(request)
        response.request = request  # (the client sets it later; the spoiled copies need it now)
        await response.aread()
        url = str(request.url)
        if url in self._looping:
            return m.linked(response, _json(response), url)
        return self._apply(self._placed(spoil, response), request, response)

    def _turn(self) -> Any:
        spoil = self.plan[self.spoiled % len(self.plan)]
        self.spoiled += 1
        return spoil

    @staticmethod
    def _placed(spoil: Any, response: httpx.Response) -> Any:
        """A `Somewhere` or `Gone` made a `Field` or `Drop` of this answer (nothing, for an answer not JSON)."""
        if not isinstance(spoil, Somewhere | Gone):
            return spoil
        value = parsed(response)
        if value is None:
            return None
        places = m.paths(value)
        if isinstance(spoil, Somewhere):
            return Field(places[spoil.index % len(places)], spoil.value)
        inner = places[1:]
        return Drop(inner[spoil.index % len(inner)]) if inner else None


def _json(response: httpx.Response) -> Any:
    value = parsed(response)
    return value if value is not None else {}
