"""The lines of the calls this desk transcribes, each read from its call's own stream on the relay
(`/v1/Workers/{WK}/Calls/{CA}/Lines`, agent_desktop_relay/app.py): the worker's stream carries the reservations'
states only. A call is followed from when the desk takes it in hand (its transcription started) until its task ends,
from the first line the relay still keeps of it and resuming after the last line read; only the lines kept under
the desk's own task are passed on (a transferred call's stream holds the other desk's lines too). The lines join the
worker's events in one feed (`merged`), read as the relay's other events are (relay_events.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, Protocol, TypeVar

import httpx
from httpx_sse import ServerSentEvent

from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop.adapters.wire.stream import resilient_stream

FOLLOWED = 8  # calls followed at once, at most (a desk holds a few; the oldest is let go past this)

T = TypeVar("T")
S = TypeVar("S")


class RelayedLine(Protocol):
    @property
    def params(self) -> dict[str, str]: ...


class CallLines:
    """`client`: the desk's client of the relay (its token); `parse`: how a relayed event is read."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        worker: str,
        name: str,
        heartbeat_timeout_s: float,
        parse: Callable[[ServerSentEvent], RelayedLine | Unreadable | None],
    ) -> None:
        self._client, self._worker, self._name = client, worker, name
        self._heartbeat_timeout_s, self._parse = heartbeat_timeout_s, parse
        self._readers: dict[str, asyncio.Task[None]] = {}  # task SID → the reader of its call's stream
        self.lines: asyncio.Queue[Any] = asyncio.Queue()

    def follow(self, task: str, call: str) -> None:
        """Read the call's lines kept under `task` (again: nothing)."""
        if task in self._readers:
            return
        while len(self._readers) >= FOLLOWED:
            self.unfollow(next(iter(self._readers)))
        self._readers[task] = asyncio.create_task(self._read(task, call), name=f"call lines {call}")

    def unfollow(self, task: str) -> None:
        reader = self._readers.pop(task, None)
        if reader is not None:
            reader.cancel()

    @property
    def followed(self) -> set[str]:
        return set(self._readers)

    async def _read(self, task: str, call: str) -> None:
        stream = resilient_stream(
            self._client,
            f"/v1/Workers/{self._worker}/Calls/{call}/Lines",
            backend=self._name,
            parse=self._parse,
            heartbeat_timeout_s=self._heartbeat_timeout_s,
        )
        try:
            async for item in stream:  # the link's statuses are the worker stream's to say
                params = getattr(item, "params", None)
                if isinstance(params, dict) and params.get("TaskSid") == task:
                    await self.lines.put(item)
        finally:
            await stream.aclose()

    async def aclose(self) -> None:
        readers, self._readers = list(self._readers.values()), {}
        for reader in readers:
            reader.cancel()
        for reader in readers:
            with contextlib.suppress(asyncio.CancelledError):
                await reader


async def merged(primary: AsyncIterator[T], side: asyncio.Queue[S]) -> AsyncGenerator[T | S, None]:
    """`primary`'s items and `side`'s, each as it comes, until `primary` ends (with what `side` holds then).
    `primary` is never cancelled mid-item (its next item is awaited across turns); only a wait on `side` is, which
    loses nothing (a queue's item stays in it until a getter takes it)."""
    pending: asyncio.Future[T] = asyncio.ensure_future(anext(primary))
    getting: asyncio.Future[S] | None = None
    try:
        while True:
            getting = asyncio.ensure_future(side.get())
            either: set[asyncio.Future[Any]] = {pending, getting}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            if getting.done():
                yield getting.result()
            else:
                getting.cancel()
            getting = None
            if pending.done():
                try:
                    item = pending.result()
                except StopAsyncIteration:
                    while not side.empty():  # what came meanwhile is not dropped with the end
                        yield side.get_nowait()
                    return
                yield item
                pending = asyncio.ensure_future(anext(primary))
    finally:
        if getting is not None:
            getting.cancel()
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
