"""What Twilio still says of a task it deleted: TaskRouter deletes a task (and its reservations) five minutes
after it is completed or canceled, but its Event Callbacks carry the task's fields and its Events resource
(`GET /Workspaces/{WS}/Events`) keeps the same for 30 days (docs/vendors/twilio-taskrouter.md).

Here: a task resource rebuilt from a callback's parameters or a logged event's `event_data`, and an agent's
contacts today folded from their reservation events."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from agent_desktop.adapters.twilio import records
from agent_desktop.domain.models import Contact, ContactState

# A reservation's last event → what the contact was for its worker (completed: wrapped up, or transferred away).
RESERVATION_STATE = {
    "reservation.accepted": ContactState.CONNECTED,
    "reservation.wrapup": ContactState.AFTER_CONTACT_WORK,
    "reservation.completed": ContactState.COMPLETED,
}
TASK_STATUS = {
    ContactState.CONNECTED: "assigned",
    ContactState.AFTER_CONTACT_WORK: "wrapping",
    ContactState.COMPLETED: "completed",
}
REQUESTS_PER_PAGE = 1000  # Events: at most 1,000 a page


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def task_of(data: dict[str, Any], at: datetime | None, status: str | None = None) -> dict[str, Any]:
    """The task as an event names it (`event_data` keys, snake case), `at` the event's time. The event's fields
    are whatever was logged (a callback's, an Events page's `event_data`): a field that is not a text is taken
    as absent."""
    text = {k: v for k, v in data.items() if isinstance(v, str)}
    age = text.get("task_age", "")
    entered = at - timedelta(seconds=int(age)) if at is not None and _digits(age) else at
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ") if at is not None else None
    return {
        "sid": text.get("task_sid") or "",
        "assignment_status": status or text.get("task_assignment_status"),
        "attributes": text.get("task_attributes") or "{}",
        "task_queue_sid": text.get("task_queue_sid"),
        "task_queue_friendly_name": text.get("task_queue_name"),
        "task_channel_unique_name": text.get("task_channel_unique_name"),
        "priority": int(text["task_priority"]) if _digits(text.get("task_priority")) else 0,
        "reason": text.get("task_completed_reason") or text.get("task_canceled_reason"),
        "date_updated": stamp,
        "task_queue_entered_date": entered.strftime("%Y-%m-%dT%H:%M:%SZ") if entered is not None else None,
    }


def _digits(value: object) -> bool:
    """A whole number as Twilio writes one in a text (ASCII digits; "²" is a digit to `str.isdigit`), not huge."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10


def task_of_callback(params: dict[str, str], at: datetime) -> dict[str, Any]:
    """The task as an Event Callback names it (`TaskSid`, `TaskAttributes`, …): what is left of a deleted one."""
    return task_of({_snake(k): v for k, v in params.items()}, at)


def contacts_today(events: list[dict[str, Any]], worker_sid: str) -> list[Contact]:
    """The worker's contacts from their reservation events (newest first): each task they accepted, in the
    state its last reservation event left it for them, whether or not TaskRouter still holds the task."""
    accepted: dict[str, datetime] = {}
    last: dict[str, tuple[datetime, str, dict[str, Any]]] = {}
    # Oldest first: the list comes newest first, and events in one second keep that order (ties by the ms).
    for event in sorted(events[::-1], key=lambda e: e.get("event_date_ms") or 0):  # noqa: C415  the sort is stable: ties stay reversed
        data = records.mapping(event.get("event_data"))
        kind, at = event.get("event_type"), records.when(event.get("event_date"))
        task_sid = data.get("task_sid")
        if (
            kind not in RESERVATION_STATE
            or at is None
            or data.get("worker_sid") != worker_sid
            or not isinstance(task_sid, str)
        ):
            continue
        if kind == "reservation.accepted":
            accepted[task_sid] = min(at, accepted.get(task_sid, at))
        if task_sid not in last or at >= last[task_sid][0]:
            last[task_sid] = (at, kind, data)
    found = []
    for task_sid, answered in accepted.items():
        at, kind, data = last[task_sid]
        state = RESERVATION_STATE[kind]
        found.append(records.contact(task_of(data, at, TASK_STATUS[state]), worker_sid, answered_at=answered))
    return sorted(found, key=lambda c: c.answered_at or c.entered_queue_at, reverse=True)
