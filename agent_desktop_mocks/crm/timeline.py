"""A customer's timeline: everything the CRM holds about them as one list, newest first, paged by a
cursor (`at|id` of the last item served) so that items written meanwhile never shift a page.

Kinds: an interaction is its channel's contact (`call`, `chat`, `email`, `sms`), an outbound call a `callback`,
an outbound SMS or email a `follow_up` (a `kind` the row carries wins); a case gives `case_opened` and a
`case_updated` for each contact linked later; a note `note`; a quality evaluation `evaluation` (a supervisor's
token only, as an interaction's `evaluations`: access.py)."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.schemas import Customer, EvaluationRecord, Interaction, TimelineItem, TimelinePage

SUMMARY_CHARS = 200
_CONTACT_KINDS = {"voice": "call", "chat": "chat", "email": "email", "sms": "sms"}


# Who ended the conversation, in the timeline's words (the desk's domain/customers/timeline.py says it the same way).
ENDED_BY = {
    "agent": "ended by the agent",
    "customer": "ended by the customer",
    "system": "closed by the inactivity timeout",  # the contact center's only end of its own: a conversation idle
    "transfer": "ended by a transfer",
    "consult": "ended by a consult",
    "takeover": "taken over by a supervisor",
}


def _line(*parts: str | None) -> str:
    text = " · ".join(" ".join(part.split()) for part in parts if part and part.strip())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def _interaction_kind(interaction: Interaction, row_kind: str | None) -> str:
    if row_kind:
        return row_kind
    if interaction.direction == "outbound":
        return "callback" if interaction.channel == "voice" else "follow_up"
    return _CONTACT_KINDS.get(interaction.channel.value, interaction.channel.value)


def consent_of(customer: Customer) -> dict[str, bool | None]:
    return {
        "sms": customer.consent_sms,
        "marketing": customer.consent_marketing,
        "recording": customer.consent_recording,
        "calls": not customer.do_not_call,
    }


def _interaction_items(db: sqlite_utils.Database, customer_id: str) -> list[TimelineItem]:
    items = []
    for interaction in store.interactions_of(db, customer_id):
        row_kind = getattr(interaction, "kind", None)  # a follow-up's own kind, where the record carries one
        items.append(
            TimelineItem(
                id=interaction.id,
                at=interaction.ended_at or interaction.created_at,
                kind=_interaction_kind(interaction, row_kind if isinstance(row_kind, str) else None),
                channel=interaction.channel,
                direction=interaction.direction,
                summary=_line(
                    interaction.disposition,
                    ENDED_BY.get(interaction.ended_by or ""),
                    interaction.notes or interaction.summary,
                ),
                interaction_id=interaction.id,
                transcript_count=interaction.transcript_count,
                agent_id=interaction.agent_id,
                consent=getattr(interaction, "consent", None),
            )
        )
    return items


def _case_items(db: sqlite_utils.Database, customer_id: str) -> list[TimelineItem]:
    items = []
    for case in store.cases_of(db, customer_id):
        items.append(
            TimelineItem(
                id=f"{case.id}:opened",
                at=case.opened_at,
                kind="case_opened",
                summary=_line(case.id, case.subject, f"{case.status}, {case.priority}", case.owner),
            )
        )
        linked = db.execute(
            "select contact_id, linked_at from case_contacts where case_id = ? and linked_at > ?",
            [case.id, store.stamp(case.opened_at)],
        ).fetchall()
        for contact_id, linked_at in linked:
            items.append(
                TimelineItem(
                    id=f"{case.id}:linked:{contact_id}",
                    at=datetime.fromisoformat(linked_at),
                    kind="case_updated",
                    summary=_line(case.id, case.subject, f"contact {contact_id} added"),
                )
            )
    return items


def _evaluation_items(db: sqlite_utils.Database, customer_id: str) -> list[TimelineItem]:
    rows = db.conn.execute(
        "select data from evaluations where contact_id in "
        "(select contact_id from interactions where customer_id = ? and contact_id is not null)",
        [customer_id],
    )
    items = []
    for (data,) in rows:
        record = EvaluationRecord.model_validate_json(data)
        score = f"{record.score:.0f}%" + (" auto-fail" if record.auto_failed else "")
        items.append(
            TimelineItem(
                id=record.id,
                at=record.released_at,
                kind="evaluation",
                channel=record.channel,
                summary=_line(record.form_name, score, f"by {record.evaluator_name}"),
                agent_id=record.agent_id,
            )
        )
    return items


def _note_items(db: sqlite_utils.Database, customer_id: str) -> list[TimelineItem]:
    return [
        TimelineItem(id=note.id, at=note.created_at, kind="note", summary=_line(note.author, note.text))
        for note in store.notes_of(db, customer_id)
    ]


def order_key(item: TimelineItem) -> tuple[str, str]:
    return store.stamp(item.at), item.id


def cursor_of(item: TimelineItem) -> str:
    return "|".join(order_key(item))


def timeline(
    db: sqlite_utils.Database, customer: Customer, *, before: str | None, limit: int, evaluations: bool
) -> TimelinePage:
    """The page of `customer`'s timeline older than the cursor `before` (None: the newest)."""
    items: list[TimelineItem] = [
        *_interaction_items(db, customer.id),
        *_case_items(db, customer.id),
        *_note_items(db, customer.id),
        *(_evaluation_items(db, customer.id) if evaluations else []),
    ]
    items.sort(key=order_key, reverse=True)
    if before is not None:
        at, _, item_id = before.partition("|")
        items = [item for item in items if order_key(item) < (at, item_id)]
    page = items[:limit]
    more = len(items) > limit
    return TimelinePage(consent=consent_of(customer), items=page, next_before=cursor_of(page[-1]) if more else None)
