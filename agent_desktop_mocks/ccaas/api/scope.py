"""Which contacts a supervisor may read or change: those of their queues.

A supervisor's queues are their floor.toml `[[supervisor]]` row's (monitoring/supervisors.py; none listed: every
queue, as the demo supervisor). Every endpoint that reads or writes a contact, its conversation or a queue's
contacts asks here before it answers, not only monitoring: a supervisor limited to billing reads no sales chat,
its messages or its customer's view, moves no sales contact and sees none waiting. An agent's own rule (their
contacts only) stays with each endpoint. Floor-wide lists (agents, contacts today, the supervisor stream) keep
only what is in scope.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import Any

from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.tables.supervisor_access import supervisor_row
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.http.auth import Principal

# A chunk of a streamed body as Starlette types it (the event log's are str).
Chunk = str | bytes | memoryview


class Scope:
    def __init__(self, supervisors: dict[str, SupervisorRow], queue_name: Callable[[str], str]) -> None:
        self.supervisors = supervisors
        self._queue_name = queue_name

    def queues(self, who: Principal) -> list[str] | None:
        """The supervisor's queues (None: every queue). Not a supervisor, or one with no row: 403."""
        return supervisor_row(self.supervisors, who).queues or None

    def keeps(self, who: Principal, queue_id: str | None) -> bool:
        """Whether a supervisor may see what is in this queue (an agent: this rule does not apply)."""
        if who.role != "supervisor":
            return True
        queues = self.queues(who)
        return queues is None or queue_id in queues

    def check_queue(self, who: Principal, queue_id: str | None, what: str | None = None) -> None:
        """403 for a supervisor outside the queue, naming it and their own (an agent: nothing checked here);
        `what` is in the queue (a contact), else the queue itself is named."""
        if not self.keeps(who, queue_id):
            name = self._queue_name(queue_id) if queue_id else "no"
            where = f"{what} is in the {name} queue" if what else f"the {name} queue is"
            own = ", ".join(self.queues(who) or [])
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"{where} outside your queues ({own})")

    async def stream(
        self,
        who: Principal,
        chunks: AsyncIterable[Chunk],
        narrow: Callable[[dict[str, Any], list[str]], dict[str, Any] | None],
    ) -> AsyncIterator[Chunk]:
        """An SSE stream as a supervisor limited to some queues may read it: `narrow(data, queues)` gives each event's
        data as they may read it (None: left out, an event about another queue's contact; a copy: only their queues'
        part of it, as queue figures; the same object: as it is). Heartbeats and comments pass. Every queue: the
        stream as it is."""
        queues = self.queues(who)
        if queues is None:
            async for chunk in chunks:
                yield chunk
            return
        async for chunk in chunks:
            narrowed = _narrowed(chunk, lambda data: narrow(data, queues))
            if narrowed is not None:
                yield narrowed


def _narrowed(chunk: Chunk, narrow: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Chunk | None:
    """The chunk with each event's data narrowed (None: an event in it is left out, and so the chunk: the log
    writes one event a chunk); unchanged where every event is kept as it is."""
    text = chunk if isinstance(chunk, str) else bytes(chunk).decode()
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if not line.startswith("data:"):
            continue
        try:
            data = json.loads(line[5:])
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        kept = narrow(data)
        if kept is None:
            return None
        if kept is not data:
            lines[i], changed = "data: " + json.dumps(kept, default=str), True
    return "\n".join(lines) if changed else chunk
