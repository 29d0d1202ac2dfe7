"""Reading a pushed event's JSON so that no event is dropped in silence.

pydantic's JSON parser refuses a lone surrogate (`"\\ud800"`, legal JSON) anywhere in a document, so a
customer message carrying one used to be taken for an unknown event and dropped without a word (and the
conversation's idle timer not reset). Such a document is read again with Python's json, which allows
them, its surrogates become U+FFFD, and it is validated again: the message shows, repaired.

What still does not validate (a type this desktop does not know, a field it cannot read) is returned as
`Unreadable`, for the stream to log and count (agent_desktop/adapters/wire/stream.py). Only the event's type and
the reason are kept, never its text: an event may carry a card number, and the log is a file on disk.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError

from agent_desktop.adapters.wire.lone_surrogates import repaired

T = TypeVar("T")

# Names that may be logged: letters and underscores only (no digits: nothing of a card number can pass).
_NAME = re.compile(r"[A-Za-z_.-]{1,40}")


@dataclass(frozen=True)
class Unreadable:
    """An event the desktop could not read: `kind` as sent (or "?" when it is not a plain name), and why."""

    kind: str
    reason: str


def read_event(adapter: TypeAdapter[T], data: str, kind: str | None = None) -> T | Unreadable:
    """The event in `data`, repaired if it must be, else `Unreadable`. `kind`: the SSE event name, if any."""
    try:
        return adapter.validate_json(data)
    except ValidationError:
        pass  # read again below: the only cost of the unusual case
    try:
        value = json.loads(data)
    except ValueError:
        return Unreadable(_name(kind), "not JSON")
    try:
        return adapter.validate_python(repaired(value))
    except ValidationError as error:
        sent = value.get("type") if isinstance(value, dict) else None
        return Unreadable(_name(sent if isinstance(sent, str) else kind), _reason(error))


def _name(text: str | None) -> str:
    return text if text is not None and _NAME.fullmatch(text) else "?"


def _reason(error: ValidationError) -> str:
    """The first problem in words pydantic chose (`union_tag_invalid`, `missing at item.text`), without
    the input (backend text); only field names and indexes of the path are kept."""
    first = error.errors(include_input=False, include_url=False)[0]
    path = ".".join(str(part) for part in first["loc"] if isinstance(part, int) or _NAME.fullmatch(str(part)))
    return f"{first['type']} at {path}" if path else first["type"]
