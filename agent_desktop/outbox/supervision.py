"""What the supervisor's desk puts in the outbox: a record of each join, mode change and leave of
theirs, for the CRM to keep with the contact's interactions. The agent's desk writes the interaction, but is
never told of a silent monitor the contact center does not announce; the supervisor's desk always knows."""

from __future__ import annotations

from collections.abc import Iterable

from agent_desktop.domain.models import SupervisionRecord
from agent_desktop.outbox.store import EntryKind, Outbox


def supervision_key(record: SupervisionRecord) -> str:
    """One entry per change, however often the desk sees it (an answer and the stream's event of one join)."""
    return (
        f"supervision:{record.contact_id}:{record.supervisor_id}:{record.event}:{record.mode}:{record.at.isoformat()}"
    )


def enqueue_supervision(outbox: Outbox, records: Iterable[SupervisionRecord]) -> int:
    """Store the records to send (blocking: call from a thread); returns how many."""
    count = 0
    for record in records:
        words = f"{record.supervisor_name} {record.event.replace('_', ' ')}" + (
            f" ({record.mode})" if record.mode else ""
        )
        outbox.add(
            EntryKind.SUPERVISION,
            record,
            contact_id=record.contact_id,
            dedupe=supervision_key(record),
            label=f"{record.contact_id} · {words}",
        )
        count += 1
    return count
