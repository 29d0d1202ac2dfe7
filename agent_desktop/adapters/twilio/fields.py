"""What each Twilio resource the desk reads must hold, checked once where its answer is parsed.

The records (twilio_records.py, twilio_conversations.py, supervisor_twilio.py) read Twilio's JSON as dicts; a
field of the wrong type there (a number for a SID, an object for `attributes`, a date that is not a date) used
to surface as a TypeError or ValueError the desk does not catch, and the desk exited. Every answer is now
checked against this table first: each field the desk reads is absent, null or of its type, and a resource's
SID, which the desk indexes by, is a text. A field of the wrong type is a `BackendError` in words ("Twilio sent
a number where a text was expected (Tasks.sid)"); the value itself is never put in the message.

The resource is known by the URL it was read from (its collection: `…/Tasks/WT…`, a POST to `…/Messages`) or,
in a page, by the page's key (`tasks`); a resource this table does not know is only required to be an object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from agent_desktop.adapters.wire.answer_json import kind_of
from agent_desktop.domain.errors import BackendError

VENDOR = "Twilio"


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**15


_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")


def _sid(value: Any) -> bool:
    return isinstance(value, str) and bool(_SID.fullmatch(value))


def _date(value: Any) -> bool:
    return isinstance(value, str) and parse_date(value) is not None


KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "text": (_text, "a text"),
    "integer": (_integer, "a whole number"),
    "number": (_number, "a number"),
    "flag": (lambda v: isinstance(v, bool), "a true/false"),
    "object": (lambda v: isinstance(v, dict), "an object"),
    "list": (lambda v: isinstance(v, list), "a list"),
    "date": (_date, "a date"),
    "sid": (_sid, "a SID"),
}
REQUIRED = object()  # a field the desk cannot do without (a resource's SID)
T, I, N, F, O, L, D, S = "text", "integer", "number", "flag", "object", "list", "date", "sid"  # noqa: E741 - the table's one-letter kinds

# Collection (as in the URL) → field → kind; a kind in a tuple with REQUIRED must be present.
FIELDS: dict[str, dict[str, Any]] = {
    "Tasks": {
        "sid": (S, REQUIRED),
        "assignment_status": T,
        "attributes": T,
        "task_queue_sid": S,
        "task_queue_friendly_name": T,
        "task_channel_unique_name": T,
        "task_channel_sid": S,
        "workflow_sid": S,
        "reason": T,
        "priority": I,
        "date_created": D,
        "date_updated": D,
        "task_queue_entered_date": D,
    },
    "Reservations": {
        "sid": (S, REQUIRED),
        "task_sid": (S, REQUIRED),
        "worker_sid": S,
        "reservation_status": T,
        "date_created": D,
    },
    "Workers": {
        "sid": (S, REQUIRED),
        "friendly_name": T,
        "activity_name": T,
        "available": F,
        "attributes": T,
        "date_status_changed": D,
        "date_updated": D,
    },
    "Activities": {"sid": (S, REQUIRED), "friendly_name": T, "available": F},
    "TaskQueues": {"sid": (S, REQUIRED), "friendly_name": T},
    "Workflows": {"task_reservation_timeout": I},
    "Channels": {"task_channel_unique_name": T, "configured_capacity": I, "available": F},
    "Statistics": {"task_queue_sid": S, "realtime": O, "cumulative": O},
    "Events": {"sid": S, "event_type": T, "event_date": D, "event_date_ms": I, "event_data": O, "resource_sid": S},
    "Conversations": {"sid": S, "state": T, "attributes": T, "timers": O, "date_updated": D},
    "Messages": {
        "sid": (S, REQUIRED),
        "index": I,
        "author": T,
        "body": T,
        "attributes": T,
        "date_created": D,
        "delivery": O,
        "conversation_sid": S,
    },
    # Conversations', Flex Interactions' and a Voice conference's participants: the fields of all three.
    "Participants": {
        "sid": S,
        "identity": T,
        "last_read_message_index": I,
        "type": T,
        "routing_properties": O,
        "hold": F,
    },
    "Conferences": {"sid": S, "friendly_name": T, "status": T},
    "Invites": {"routing": O},
    # The REST API's (2010-04-01) SMS, unlike Conversations' messages: dates in RFC 2822, so read as text.
    "SmsMessages": {
        "sid": (S, REQUIRED),
        "status": (T, REQUIRED),
        "to": T,
        "body": T,
        "error_code": I,
        "direction": T,
        "date_created": T,
    },
}
PAGE_KEYS = {
    "tasks": "Tasks",
    "reservations": "Reservations",
    "workers": "Workers",
    "activities": "Activities",
    "task_queues": "TaskQueues",
    "channels": "Channels",
    "task_queues_statistics": "Statistics",
    "events": "Events",
    "conversations": "Conversations",
    "messages": "Messages",
    "participants": "Participants",
    "conferences": "Conferences",
}
_COLLECTION = re.compile(r"/([A-Za-z]+)(?:/[A-Z]{2}[0-9a-fA-F]{32})?(?:\.json)?/?$")


def parse_date(text: str) -> datetime | None:
    """An ISO 8601 date as Twilio writes them (`2024-05-01T09:30:00Z`), in UTC; None where it is not one (or
    is so near year 1 or 9999 that the desk's arithmetic on it would overflow)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if not 1900 <= value.year <= 9000:
        return None
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)


def resource(backend: str, url: str, value: Any) -> dict[str, Any]:
    """The answer to a request for `url`, checked as the resource its collection names (or as a page)."""
    if not isinstance(value, dict):
        raise wrong(backend, "the answer", value, "an object")
    match = _COLLECTION.search(url.split("?", 1)[0])
    name = match.group(1) if match else ""
    if name == "Messages" and "/2010-04-01/" in url:  # an SMS of the REST API (a list of them has no `meta`)
        for item in value.get("messages") or [] if isinstance(value.get("messages"), list) else [value]:
            check(backend, "SmsMessages", item)
        return value
    key = next((k for k in value if k in PAGE_KEYS), None) if "meta" in value else None
    if key is not None:
        return page(backend, key, value)
    if name in FIELDS:
        check(backend, name, value)
    return value


def page(backend: str, key: str, value: Any) -> dict[str, Any]:
    """A page of a list: `key` a list of resources, `meta.next_page_url` a text or null."""
    if not isinstance(value, dict):
        raise wrong(backend, "a page", value, "an object")
    items, meta = value.get(key), value.get("meta")
    if items is not None and not isinstance(items, list):
        raise wrong(backend, f"the page's {key}", items, "a list")
    if meta is not None and not isinstance(meta, dict):
        raise wrong(backend, "the page's meta", meta, "an object")
    following = (meta or {}).get("next_page_url")
    if following is not None and not isinstance(following, str):
        raise wrong(backend, "the page's next_page_url", following, "a text")
    name = PAGE_KEYS.get(key)
    for item in items or []:
        if name is None:
            if not isinstance(item, dict):
                raise wrong(backend, f"an item of {key}", item, "an object")
        else:
            check(backend, name, item)
    return value


def check(backend: str, collection: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise wrong(backend, f"an item of {collection}", value, "an object")
    for field, rule in FIELDS[collection].items():
        kind, required = (rule[0], True) if isinstance(rule, tuple) else (rule, False)
        found = value.get(field)
        if found is None:
            if required:
                raise BackendError(backend, f"502 {VENDOR} sent {collection} without its {field}", 502)
            continue
        fits, wanted = KINDS[kind]
        if not fits(found):
            raise wrong(backend, f"{collection}.{field}", found, wanted)


def wrong(backend: str, where: str, value: Any, wanted: str) -> BackendError:
    sent = kind_of(value)
    if wanted in ("a date", "a SID") and isinstance(value, str):
        sent = f"a text that is not {wanted}"
    return BackendError(backend, f"502 {VENDOR} sent {sent} where {wanted} was expected ({where})", 502)
