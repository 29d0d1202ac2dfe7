"""Consuming a pushed Server-Sent Events stream that reconnects and resumes by itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse

from desktop.backends.errors import BackendError

T = TypeVar("T")


@dataclass(frozen=True)
class LinkStatus:
    """The event link to a backend went up or down (the UI shows it)."""

    backend: str
    connected: bool
    detail: str = ""


async def resilient_stream(
    client: httpx.AsyncClient,
    path: str,
    *,
    backend: str,
    parse: Callable[[ServerSentEvent], T | None],
    resync: Callable[[], Awaitable[Iterable[T]]] | None = None,
    heartbeat_timeout_s: float = 35.0,
    retry_initial_s: float = 0.25,
    retry_max_s: float = 5.0,
) -> AsyncIterator[T | LinkStatus]:
    """Yield parsed events forever.

    A silent link (no byte, not even a heartbeat, within `heartbeat_timeout_s`)
    counts as lost. On every (re)connection the stream resumes after the last
    event id seen, and `resync` re-fetches the current state so nothing that
    happened while the link was down is missed.
    """
    last_event_id: str | None = None
    delay = retry_initial_s
    while True:
        detail = "stream closed"
        try:
            headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
            timeout = httpx.Timeout(10.0, read=heartbeat_timeout_s)
            async with aconnect_sse(client, "GET", path, headers=headers, timeout=timeout) as source:
                if not source.response.is_success:
                    detail = f"{source.response.status_code} {source.response.reason_phrase}"
                else:
                    yield LinkStatus(backend, True)
                    delay = retry_initial_s
                    if resync is not None:
                        for item in await resync():
                            yield item
                    async for event in source.aiter_sse():
                        if event.id:
                            last_event_id = event.id
                        item = parse(event)
                        if item is not None:
                            yield item
        except httpx.ReadTimeout:
            detail = "no heartbeat"
        except BackendError as error:  # the resync failed: the link is not usable yet
            detail = error.message
        except httpx.HTTPError as error:
            detail = type(error).__name__
        yield LinkStatus(backend, False, detail)
        await asyncio.sleep(delay)
        delay = min(delay * 2, retry_max_s)
