"""Consuming a pushed Server-Sent Events stream that reconnects and resumes by itself.

No event is dropped in silence: bytes that are not UTF-8 are decoded as U+FFFD (httpx's text decoder,
errors="replace"), text that fails validation is repaired where it can be (agent_desktop/adapters/wire/event_json.py),
and an event that still cannot be read is logged (its type and why, in the desk's log) and counted on
the link's status, which the status line shows.

A desk that stopped running for a while (SIGSTOP, a laptop asleep, a clock that jumped) reads, when it runs
again, what the server sent meanwhile as if nothing had happened: the socket kept it, so no read timed out.
What the server could not send (a state only a snapshot says, an event its buffer no longer holds) would then be
missed, and the desk would show Busy where the contact center has Missed. So an item that comes after a silence
longer than the heartbeat timeout, by the monotonic clock or by the wall clock (which is the one that moves
while a machine sleeps), counts as a lost link: the stream reconnects and `resync` reads the state again.
That needs an item to come; a desk told it ran again (a SIGCONT: `resync_streams_now`) does not wait for one:
every stream in the process waiting on its socket reconnects and resyncs at once (domain/streams/stream_wake.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import TypeVar

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse

from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop.adapters.wire.http_errors import describe_transport_error
from agent_desktop.domain.errors import BackendError, describe_status
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.streams.stream_wake import Woken, next_item

T = TypeVar("T")

log = logging.getLogger(__name__)

# A refusal (401, 403, 404) will not heal by itself: try again now and then, not every few seconds.
REFUSED_RETRY_S = 30.0
PAUSED = "the desk was paused: reading the state again"


class _NoAnswer(Exception):
    """The server took the connection but did not answer the request in time."""


async def resilient_stream(
    client: httpx.AsyncClient,
    path: str,
    *,
    backend: str,
    parse: Callable[[ServerSentEvent], T | Unreadable | None],
    resync: Callable[[], Awaitable[Iterable[T]]] | None = None,
    heartbeat_timeout_s: float = 35.0,
    retry_initial_s: float = 0.25,
    retry_max_s: float = 5.0,
    monotonic: Callable[[], float] = time.monotonic,
    wall: Callable[[], float] = time.time,
) -> AsyncGenerator[T | LinkStatus, None]:
    """Yield parsed events forever.

    A silent link (no byte, not even a heartbeat, within `heartbeat_timeout_s`)
    counts as lost. On every (re)connection the stream resumes after the last
    event id seen, and `resync` re-fetches the current state so nothing that
    happened while the link was down is missed. `parse` returns None for what is not an event (nothing
    to say), `Unreadable` for an event it could not read: logged, and counted in `LinkStatus.unreadable`
    (a connected status is yielded again with the new count). An item after a silence longer than
    `heartbeat_timeout_s` on either clock (`monotonic`, `wall`: the desk was paused) is a lost link too.
    """
    last_event_id: str | None = None
    unreadable = 0
    delay = retry_initial_s
    # The answer to the request (its headers) must come within the client's own timeout: a peer that
    # accepts the connection and never answers is "timed out" in seconds, not after a heartbeat period.
    answer_timeout_s = client.timeout.read or 10.0
    base = str(client.base_url).rstrip("/")
    where = base + path  # as httpx builds it: the path goes after the base URL's own path
    while True:
        detail, url, refused, paused = "stream closed", where, False, False
        try:
            headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
            timeout = httpx.Timeout(10.0, read=heartbeat_timeout_s)
            async with contextlib.AsyncExitStack() as stack:
                try:
                    async with asyncio.timeout(answer_timeout_s):
                        source = await stack.enter_async_context(
                            aconnect_sse(client, "GET", path, headers=headers, timeout=timeout)
                        )
                except TimeoutError:
                    raise _NoAnswer from None
                if not source.response.is_success:
                    detail = describe_status(source.response.status_code, path)
                    refused = source.response.status_code in (401, 403, 404)
                else:
                    yield LinkStatus(backend, True, url=where, unreadable=unreadable)
                    delay = retry_initial_s
                    if resync is not None:
                        for item in await resync():
                            yield item
                    heard = (monotonic(), wall())
                    events = source.aiter_sse()
                    while True:
                        try:
                            event = await next_item(events)
                        except StopAsyncIteration:
                            break
                        now = (monotonic(), wall())
                        silence = max(now[0] - heard[0], now[1] - heard[1])
                        heard = now
                        if silence > heartbeat_timeout_s:
                            # Paused (the process stopped, the machine asleep, the clock moved): what came meanwhile
                            # may not be all there is. Read from the event after the last one applied, and resync.
                            detail = f"the desk was paused {silence:.0f} s: reading the state again"
                            paused = True
                            break
                        if event.id:
                            last_event_id = event.id
                        if not event.data and event.event == "message":
                            # httpx-sse keeps the last id across events (as the SSE spec says) and so turns the
                            # blank line after a heartbeat comment into an empty "message": nothing was sent
                            continue
                        parsed = parse(event)
                        if isinstance(parsed, Unreadable):
                            unreadable += 1
                            log.warning(
                                "%s: an event not read (%s: %s), %d so far",
                                backend,
                                parsed.kind,
                                parsed.reason,
                                unreadable,
                            )
                            yield LinkStatus(backend, True, url=where, unreadable=unreadable)
                        elif parsed is not None:
                            yield parsed
        except _NoAnswer:
            detail = f"timed out (no answer in {answer_timeout_s:g} s)"
        except Woken:
            detail, paused = PAUSED, True
        except httpx.ReadTimeout:
            detail = f"no heartbeat in {heartbeat_timeout_s:g} s"
        except BackendError as error:  # the resync failed: the link is not usable yet
            detail, url = error.message, error.url or url
        except httpx.HTTPError as error:
            detail = describe_transport_error(error)
            url = base  # the host did not answer: the path does not matter
        wait = REFUSED_RETRY_S if refused else delay
        yield LinkStatus(
            backend, False, detail, url=url, retry_s=wait, refused=refused, unreadable=unreadable, paused=paused
        )
        await asyncio.sleep(wait)
        delay = min(delay * 2, retry_max_s)
