"""A wrap-up or note written into a ticketing system as comment text, and read back: what Zendesk and Request Tracker
share.

Neither keeps an idempotency key nor fields of the desk's own on a comment, so what the desk writes ends with one
machine-readable line, `agent-desktop {json}`: the outbox entry's key (to find a write already made before sending it
again), the contact and the interaction's fields (to read it back as history), and a digest of the text and fields
that tells a retry of this write from another write that reused its key.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from agent_desktop.domain.models import Channel, ContactEndedBy, Interaction, InteractionCreate

MARKER = "agent-desktop "
CHANNELS = {channel.value for channel in Channel}
_FLAGS = {"unattributed", "note"}  # a marker's true/false fields; the others are texts
_ENDED_BY = ("agent", "customer", "system", "transfer", "consult", "takeover")


def marker_of(body: str) -> dict[str, Any]:
    """The fields on a comment's last line, or {} for a comment the desk did not write. Anyone who can write a
    comment can write such a line: only fields of the kind the desk writes there are kept (its flags true/false,
    the rest texts), and JSON nested past Python's recursion limit is no marker."""
    last = body.rstrip().rpartition("\n")[2]
    if not last.startswith(MARKER):
        return {}
    try:
        fields = json.loads(last[len(MARKER) :])
    except (ValueError, RecursionError):
        return {}
    if not isinstance(fields, dict):
        return {}
    return {name: value for name, value in fields.items() if isinstance(value, bool if name in _FLAGS else str)}


def with_marker(text: str, fields: dict[str, Any]) -> str:
    """`text` with its marker line; the marker's `digest` (of the text and fields) tells a retry of this write
    from another write that reused its key."""
    kept = {k: v for k, v in fields.items() if v is not None}
    kept["digest"] = hashlib.sha256(json.dumps([text.rstrip(), kept], sort_keys=True).encode()).hexdigest()[:16]
    return f"{text.rstrip()}\n{MARKER}{json.dumps(kept, sort_keys=True)}"


def ended_by(fields: dict[str, Any]) -> ContactEndedBy | None:
    """Who ended the contact, as a marker says it, or None for a word the desk does not write."""
    said = fields.get("ended_by")
    return cast("ContactEndedBy", said) if said in _ENDED_BY else None


def interaction_text(item: InteractionCreate) -> str:
    """What an agent reading the ticket sees: the outcome, the notes, then the conversation."""
    lines = [f"{item.channel.value.capitalize()} {item.direction} · {item.disposition}"]
    if item.ended_by:
        lines.append(f"Ended by: {item.ended_by}")
    if item.summary:
        lines.append(f"Summary: {item.summary}")
    if item.notes:
        lines += ["", item.notes]
    if item.private_notes:
        lines += ["", "Private notes:", *(f"- {note}" for note in item.private_notes)]
    if item.transcript:
        lines += ["", "Conversation:"]
        lines += [
            f"[{line.at.isoformat(timespec='seconds')}] {line.name} ({line.role}): {line.text}"
            for line in item.transcript
        ]
    if item.transfer_path:
        lines += ["", "Transferred: " + " → ".join(item.transfer_path)]
    return "\n".join(lines)


def interaction_fields(item: InteractionCreate, key: str) -> dict[str, Any]:
    """The marker's fields of a wrap-up written with the outbox's `key`."""
    return {
        "key": key,
        "contact_id": item.contact_id,
        "channel": item.channel.value,
        "direction": item.direction,
        "agent_id": item.agent_id,
        "queue_id": item.queue_id,
        "disposition": item.disposition,
        "ended_by": item.ended_by,
        "summary": item.summary,
        "unattributed": True if item.customer_id is None else None,
    }


def written_interaction(
    body: str, *, id: str, customer_id: str | None, channel: Channel, created_at: str
) -> Interaction:
    """A comment read back as history: the marker's fields where the desk wrote one (the channel it names over
    `channel`, the system's own guess; an unattributed wrap-up has no customer), its text without the marker."""
    fields = marker_of(body)
    written = fields.get("channel")
    text = body.rstrip().rpartition("\n")[0] if fields else body
    return Interaction(
        id=id,
        customer_id=None if fields.get("unattributed") else customer_id,
        contact_id=fields.get("contact_id"),
        channel=Channel(written) if written in CHANNELS else channel,
        direction="outbound" if fields.get("direction") == "outbound" else "inbound",
        agent_id=fields.get("agent_id"),
        queue_id=fields.get("queue_id"),
        disposition=fields.get("disposition"),
        ended_by=ended_by(fields),
        summary=fields.get("summary") or (text.splitlines()[0] if text else None),
        notes=text or None,
        created_at=created_at,
    )
