"""The events the relay keeps for its readers: per worker, the newest `keep`, each with an id that only
grows (microseconds since the epoch, or one more than the last), so a reader resumes with `Last-Event-ID`
even across a restart of the relay (a reader whose id is older than what is kept gets what is kept: it
resyncs from the REST API on every reconnect anyway)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Kept:
    id: int
    event_type: str
    data: str  # the callback's parameters as a JSON object


class EventBuffer:
    def __init__(self, keep: int = 1000) -> None:
        self._keep = keep
        self._events: defaultdict[str, deque[Kept]] = defaultdict(lambda: deque(maxlen=keep))
        self._worker_of_task: dict[str, str] = {}
        self._last = 0
        self._arrived: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def worker_of(self, params: dict[str, str]) -> str | None:
        """Whose stream an event goes to: its WorkerSid, else the worker who holds its task; a Conversations
        webhook (no task, no worker) goes to the worker last reserved for the task that names its
        `conversationSid` in its attributes (where Flex names it)."""
        worker, task = params.get("WorkerSid"), params.get("TaskSid")
        if worker and task:
            self._remember(task, worker)
            conversation = _conversation_of(params.get("TaskAttributes"))
            if conversation:
                self._remember(conversation, worker)
        if worker:
            return worker
        key = task or params.get("ConversationSid")
        return self._worker_of_task.get(key) if key else None

    def _remember(self, key: str, worker: str) -> None:
        self._worker_of_task.pop(key, None)  # newest last: the oldest is the one forgotten
        self._worker_of_task[key] = worker
        if len(self._worker_of_task) > 100 * self._keep:
            self._worker_of_task.pop(next(iter(self._worker_of_task)))

    def add(self, params: dict[str, str]) -> Kept | None:
        worker = self.worker_of(params)
        if worker is None:
            return None  # a workspace event nobody's desk follows (a task created, a queue changed)
        self._last = max(self._last + 1, time.time_ns() // 1000)
        kept = Kept(self._last, params.get("EventType", "unknown"), json.dumps(params))
        self._events[worker].append(kept)
        arrived = self._arrived.pop(worker, None)
        if arrived is not None:
            arrived.set()
        return kept

    def newest(self, worker: str) -> int | None:
        """The id of the worker's newest kept event (None: none kept)."""
        kept = self._events.get(worker)
        return kept[-1].id if kept else None

    def after(self, worker: str, last_id: int | None) -> list[Kept]:
        return [e for e in self._events.get(worker, ()) if last_id is None or e.id > last_id]

    async def wait(self, worker: str, timeout_s: float, after: int | None = None) -> None:
        """Until an event for `worker` newer than `after` is kept, or `timeout_s` passes. One kept while the
        reader was sending the last ones (before it waited) ends the wait at once: without the check it waited
        the whole heartbeat (15 s), as `add` had no waiter to wake then."""
        arrived = self._arrived[worker]
        if self.after(worker, after):
            return
        try:
            await asyncio.wait_for(arrived.wait(), timeout_s)
        except TimeoutError:
            pass


def _conversation_of(attributes: str | None) -> str | None:
    try:
        value = json.loads(attributes or "{}")
    except ValueError:
        return None
    found = value.get("conversationSid") if isinstance(value, dict) else None
    return found if isinstance(found, str) and found.startswith("CH") else None
