"""Persisted, resumable event streams served as Server-Sent Events.

Every event is appended to an SQLite table with an increasing id before it is
pushed, so a client reconnecting with Last-Event-ID gets exactly what it missed.
A comment line is sent every heartbeat so clients can tell a quiet link from a
dead one.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

import sqlite_utils
from starlette.responses import StreamingResponse

from mock_backends.common.clock import Clock


class EventLog:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, heartbeat_s: float = 15.0) -> None:
        self._db = db
        self._clock = clock
        self.heartbeat_s = heartbeat_s
        self._subscribers: dict[str, set[asyncio.Queue[tuple[int, str, str]]]] = defaultdict(set)
        if "events" not in db.table_names():
            db["events"].create(
                {"id": int, "topic": str, "type": str, "data": str, "created_at": str},
                pk="id",
            )
            db["events"].create_index(["topic", "id"])

    def publish(self, topics: Iterable[str], type_: str, data: dict[str, Any]) -> int:
        """Store one event under each topic and push it to live subscribers; returns the last id."""
        payload = json.dumps(data, default=str)
        last_id = 0
        for topic in topics:
            last_id = self._db["events"].insert(
                {"topic": topic, "type": type_, "data": payload, "created_at": self._clock.now().isoformat()}
            ).last_pk
            for queue in self._subscribers.get(topic, ()):
                queue.put_nowait((last_id, type_, payload))
        return last_id

    def _since(self, topic: str, last_event_id: int) -> list[tuple[int, str, str]]:
        rows = self._db.execute(
            "select id, type, data from events where topic = ? and id > ? order by id",
            [topic, last_event_id],
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    async def subscribe(self, topic: str, last_event_id: int | None) -> AsyncIterator[str]:
        """SSE-formatted chunks: missed events first (if resuming), then live ones, with heartbeats."""
        queue: asyncio.Queue[tuple[int, str, str]] = asyncio.Queue()
        self._subscribers[topic].add(queue)
        try:
            yield ": connected\n\n"
            sent = last_event_id or 0
            if last_event_id is not None:
                for event in self._since(topic, last_event_id):
                    yield _format(*event)
                    sent = event[0]
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=self.heartbeat_s)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                if event[0] > sent:
                    yield _format(*event)
                    sent = event[0]
        finally:
            self._subscribers[topic].discard(queue)

    def response(self, topic: str, last_event_id: str | None) -> StreamingResponse:
        resume = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
        return StreamingResponse(
            self.subscribe(topic, resume),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


def _format(event_id: int, type_: str, data: str) -> str:
    return f"id: {event_id}\nevent: {type_}\ndata: {data}\n\n"
