"""The contact center's `X-Event-Ids` header (docs/mock-apis.md): which events of the agent's stream carry an
action's answer. Read here for every backend that has it (the HTTP client, the in-process one in the tests)."""

from __future__ import annotations

EVENT_IDS_HEADER = "X-Event-Ids"


def read_event_ids(header: str | None) -> tuple[int, ...]:
    """`"41,42"` (or empty, or absent) as ids; anything unreadable is no ids, and the desk then knows the
    stream's copy by its content, as with a backend that names none."""
    ids = [part.strip() for part in (header or "").split(",") if part.strip()]
    return (
        tuple(int(part) for part in ids)
        if all(part.isascii() and part.isdigit() and len(part) < 19 for part in ids)
        else ()
    )
