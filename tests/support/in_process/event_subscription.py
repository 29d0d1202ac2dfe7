"""A subscription to a mock's `EventLog` topic, as the SSE route serves it but without the socket.

It is the same subscription the HTTP route streams (`EventLog.subscribe`): events are pushed only
once their transaction commits, each with its stream id, heartbeats between them. The chunks are SSE
text; this reads back the id, type and data, which the backends parse into the desktop's events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from agent_desktop_mocks.common.event_log import EventLog


@dataclass(frozen=True)
class LoggedEvent:
    id: int
    type: str
    data: str  # JSON, as the SSE `data:` line carries it


class Subscription:
    """Subscribed from `open()` on, so a snapshot taken after it misses nothing that happens meanwhile."""

    def __init__(self, log: EventLog, topic: str) -> None:
        self._chunks = log.subscribe(topic, None)

    async def open(self) -> None:
        first = await anext(self._chunks)  # the generator registers its queue before it yields this
        assert first.startswith(": connected"), first

    async def __aiter__(self) -> AsyncIterator[LoggedEvent]:
        try:
            async for chunk in self._chunks:
                event = parse_chunk(chunk)
                if event is not None:
                    yield event
        finally:
            await self._chunks.aclose()

    async def aclose(self) -> None:
        await self._chunks.aclose()


def parse_chunk(chunk: str) -> LoggedEvent | None:
    """One `id:`/`event:`/`data:` block (the log writes data as one line of JSON); None for a comment."""
    fields: dict[str, str] = {}
    for line in chunk.splitlines():
        if line and not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    if "data" not in fields:
        return None
    return LoggedEvent(int(fields["id"]), fields["event"], fields["data"])
