"""What the supervisor's desk puts in the outbox for quality management: each evaluation it released,
for the CRM to keep with the contact's interaction, once (the entry's dedupe and the write's idempotency key both
come from the evaluation's id; the CRM also keeps one record per evaluation id)."""

from __future__ import annotations

from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.outbox.store import EntryKind, Outbox, OutboxEntry


def enqueue_evaluation(outbox: Outbox, record: EvaluationRecord) -> OutboxEntry:
    """Store the record to send (blocking: call from a thread); a second add of it is the first entry."""
    return outbox.add(
        EntryKind.EVALUATION,
        record,
        contact_id=record.contact_id,
        dedupe=record.key,
        label=f"{record.contact_id} · evaluation {record.score:g} by {record.evaluator_name}",
    )
