"""The supervisor's reading of TaskRouter's Events resource between polls (`GET /Workspaces/{WS}/Events`,
one request a poll whatever the floor's size): who holds each task (its live reservation: a Task has no
worker field) and how each finished task ended, so the poll needs no request per task.

Events are read from a cursor (the newest event's time, less a margin for events logged late) and each is
taken once (by SID). A task whose holder no event named yet (the console started after it was reserved)
is read the old way, its reservations, a few a poll (supervisor_twilio.py)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agent_desktop.adapters.twilio import records

MARGIN = timedelta(seconds=5)  # events read again each poll: one logged a little late is still seen
SEEN_KEPT = 20_000
LIVE = {"reservation.created": "pending", "reservation.accepted": "accepted", "reservation.wrapup": "wrapping"}
OVER = (
    "reservation.rejected",
    "reservation.timeout",
    "reservation.canceled",
    "reservation.rescinded",
    "reservation.completed",
)
ENDED = {"task.completed": "completed", "task.canceled": "canceled"}


@dataclass
class Holder:
    worker_sid: str
    reservation_sid: str
    status: str  # pending, accepted or wrapping
    since: str | None  # the reservation's creation, as TaskRouter stamps it


class FloorEvents:
    def __init__(self) -> None:
        self.holders: dict[str, Holder] = {}  # task SID → its live reservation
        self.ended: dict[str, tuple[datetime, dict[str, Any]]] = {}  # task SID → its last task.completed/canceled event
        self.cursor: datetime | None = None
        self._seen: deque[str] = deque(maxlen=SEEN_KEPT)
        self._seen_set: set[str] = set()

    def start(self) -> datetime | None:
        return self.cursor - MARGIN if self.cursor is not None else None

    def take(self, events: list[dict[str, Any]]) -> None:
        """Fold newly read events (any order) into holders and endings."""
        fresh = [e for e in events[::-1] if isinstance(e.get("sid"), str) and e["sid"] not in self._seen_set]
        fresh.sort(key=lambda e: e.get("event_date_ms") or 0)  # oldest first (the list comes newest first): stable
        for event in fresh:
            self._remember(event["sid"])
            at = records.when(event.get("event_date"))
            if at is not None and (self.cursor is None or at > self.cursor):
                self.cursor = at
            data = records.mapping(event.get("event_data"))
            kind, task_sid = event.get("event_type"), data.get("task_sid")
            if not isinstance(task_sid, str):
                continue
            if kind in LIVE and isinstance(data.get("worker_sid"), str):
                reservation = data.get("reservation_sid") or event.get("resource_sid") or ""
                held = self.holders.get(task_sid)
                since = (
                    held.since if held is not None and held.reservation_sid == reservation else event.get("event_date")
                )
                self.holders[task_sid] = Holder(data["worker_sid"], reservation, LIVE[kind], since)
            elif kind in OVER:
                held = self.holders.get(task_sid)
                if held is not None and held.worker_sid == data.get("worker_sid"):
                    del self.holders[task_sid]
            elif kind in ENDED and at is not None:
                self.holders.pop(task_sid, None)
                self.ended[task_sid] = (at, data | {"task_assignment_status": ENDED[kind]})

    def forget(self, live_tasks: set[str]) -> None:
        """Drop what no longer matters: holders of tasks no longer live, endings already reported."""
        for sid in [s for s in self.holders if s not in live_tasks]:
            del self.holders[sid]

    def _remember(self, sid: str) -> None:
        if len(self._seen) == self._seen.maxlen:
            self._seen_set.discard(self._seen[0])
        self._seen.append(sid)
        self._seen_set.add(sid)
