"""Recording a backend's calls once and running one of them spoiled: what every hostile-backend test does.

A `Desk` names a backend's calls (what the desk asks of it) and how to build the backend over a transport;
`record` runs each call once through the real server, keeping its answers; `spoiled` builds the backend over
the hostile transport replaying them and runs the call under the invariants (invariants.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

import httpx
from hypothesis import strategies as st

from agent_desktop.domain.errors import BackendError
from tests.support.hostile.headers import headers
from tests.support.hostile.invariants import clock_kept, outcome
from tests.support.hostile.recording import Recording, RecordingTransport, ReplayTransport
from tests.support.hostile.strategies import spoiling
from tests.support.hostile.transport import Choose, HostileTransport

Call = Callable[[Any], Awaitable[Any]]
Make = Callable[[httpx.AsyncBaseTransport], Any]
T = TypeVar("T")


class Draws(Protocol):
    """What the harness draws from: hypothesis' `st.data()`, or a `Scripted` example."""

    def draw(self, strategy: st.SearchStrategy[T], label: Any = None) -> T: ...


class Scripted:
    """`data` for an explicit example, `@example(data=Scripted(call, spoil, ...))`: the call, then what is done to
    each answer in turn, then nothing. A failure the search found, kept as it was found."""

    def __init__(self, call: str, *answers: Any) -> None:
        self.call, self.answers, self._at = call, answers, 0

    def draw(self, strategy: st.SearchStrategy[T], label: Any = None) -> T:
        if label == "call":  # the first draw of a run: the script starts again
            self._at = 0
            return cast(T, self.call)
        if label == "answers":  # drawn ahead, all at once (`headered`)
            return cast(T, list(self.answers))
        self._at += 1
        return cast(T, self.answers[self._at - 1] if self._at <= len(self.answers) else None)

    def __repr__(self) -> str:
        return f"Scripted({self.call!r}, {', '.join(map(repr, self.answers))})"


@dataclass
class Desk:
    """One backend as the desk uses it: `make(transport)` builds it, `calls` are what the desk asks of it."""

    make: Make
    calls: dict[str, Call]
    allowed: list[str]  # the base URLs it was configured with: credentials may go there only
    timeout_s: float = 5.0
    recordings: dict[str, Recording] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # calls the real server refused as recorded
    inner: Callable[[], httpx.AsyncBaseTransport] = httpx.AsyncHTTPTransport  # the real transport (a contract check)

    async def record(self, *names: str) -> None:
        """Each call (all, in order, without names) run once on the real server, its answers kept."""
        for name in names or tuple(self.calls):
            recording = Recording()
            backend = self.make(RecordingTransport(self.inner(), recording))
            try:
                await self.calls[name](backend)
            except BackendError as error:  # a refusal is an answer too: spoiled, it must stay one
                self.refused[name] = error.message
            except Exception as error:  # a crash on a real answer: recorded all the same, replayed it fails its test
                self.refused[name] = repr(error)
            finally:
                await backend.aclose()
            self.recordings[name] = recording


def spoiled(
    desk: Desk,
    data: Draws,
    every: Any,
    *,
    choose: Choose = spoiling,
    after: Callable[[Any], None] | None = None,
    ahead: st.SearchStrategy[Any] | None = None,
) -> HostileTransport:
    """One call of the desk's (drawn) run over its spoiled answers; the transport, for what it saw sent. `choose`:
    what may be done to an answer (transport.py); `after`: what must hold of the backend once the call has ended;
    `ahead`: what is done to each answer, when that does not depend on the answer, drawn before the call."""
    name = data.draw(st.sampled_from(sorted(desk.recordings)), label="call")
    draw: Callable[[Any], Any] = data.draw
    if ahead is not None:
        # Drawn before the call, one for each answer it can get (twice the recorded ones: a retry each), handed out in
        # the order the answers come: how many draws a run makes no longer depends on that order, which a retry's
        # real wait beside concurrent requests changes on a loaded machine (hypothesis refused the run as flaky).
        count = 2 * len(desk.recordings[name])
        answers = iter(data.draw(st.lists(ahead, min_size=count, max_size=count), label="answers"))
        draw = lambda _strategy: next(answers, None)  # noqa: E731
    transport = HostileTransport(
        ReplayTransport(desk.recordings[name]), draw, desk.allowed, desk.timeout_s, every, choose=choose
    )

    async def run() -> Any:
        backend = desk.make(transport)
        try:
            result = await outcome(desk.calls[name](backend))
            if after is not None:
                after(backend)
            return result
        finally:
            await backend.aclose()

    asyncio.run(run())
    assert transport.leaks == [], "a credential went to a host the desk was not configured with"
    return transport


def planned(desk: Desk, name: str, plan: Callable[[httpx.Request], Any]) -> tuple[Any, HostileTransport]:
    """One call run over its answers spoiled as `plan` says (None: as recorded): its outcome, and the transport."""
    transport = HostileTransport(
        ReplayTransport(desk.recordings[name]), lambda _: None, desk.allowed, desk.timeout_s, plan=plan
    )

    async def run() -> Any:
        backend = desk.make(transport)
        try:
            return await outcome(desk.calls[name](backend))
        finally:
            await backend.aclose()

    return asyncio.run(run()), transport


def headered(desk: Desk, data: Draws) -> HostileTransport:
    """One call of the desk's run over answers whose `Date`, `Retry-After` and `Content-Type` are hostile (headers.py),
    their bodies as recorded: the call ends as every call must (invariants.py), and the desk's reading of the server's
    clock is within its bound of the machine's clock."""
    return spoiled(desk, data, None, after=clock_kept, ahead=headers())
