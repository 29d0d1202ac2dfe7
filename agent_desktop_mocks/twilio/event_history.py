"""TaskRouter's Events resource: the workspace's events as TaskRouter logs them "for historical reporting
and auditing", kept 30 days (docs/vendors/twilio-taskrouter.md), outliving the tasks they name (a task is
deleted five minutes after it finishes: retention.py).

Filled from the same parameters the Event Callbacks carry (callbacks.py), each kept with the engine's time;
served by routers/events.py with `event_data` in snake case as Twilio's example shows it."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

KEPT = timedelta(days=30)
MOST = 200_000  # a bound on memory: a month of a small floor
ENVELOPE = {
    "AccountSid",
    "WorkspaceSid",
    "WorkspaceName",
    "EventType",
    "ResourceType",
    "ResourceSid",
    "EventDescription",
    "Sid",
    "Timestamp",
    "TimestampMs",
}
RESOURCES = ("task", "reservation", "worker", "activity", "workflow", "workspace", "task-queue")


@dataclass(frozen=True)
class LoggedEvent:
    at: datetime
    params: dict[str, str]

    def data(self) -> dict[str, str]:
        """The callback's resource fields as the Events resource's `event_data` (TaskSid → task_sid)."""
        return {_snake(k): v for k, v in self.params.items() if k not in ENVELOPE}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class EventHistory:
    def __init__(self) -> None:
        self._events: deque[LoggedEvent] = deque(maxlen=MOST)

    def record(self, at: datetime, params: dict[str, str]) -> None:
        """Keep a TaskRouter event (Conversations' webhooks are not TaskRouter's: not kept)."""
        if params.get("ResourceType") not in RESOURCES:
            return
        self._events.append(LoggedEvent(at, dict(params)))
        while self._events and at - self._events[0].at > KEPT:
            self._events.popleft()

    def read(self, start: datetime, end: datetime, **fields: str | None) -> list[LoggedEvent]:
        """Events from `start` to `end`, newest first, whose parameters equal every field given (`TaskSid=…`)."""
        wanted = {k: v for k, v in fields.items() if v is not None}
        found = [e for e in self._events if start <= e.at <= end and all(_field(e, k) == v for k, v in wanted.items())]
        return found[::-1]


def _field(event: LoggedEvent, name: str) -> Any:
    if name == "TaskChannel":
        return event.params.get("TaskChannelUniqueName") or event.params.get("TaskChannelSid")
    return event.params.get(name)
