"""A requester's timeline on Zendesk Support, from what the card's record already reads: their
requested tickets (each opened at `created_at`; updated, or solved and closed, at `updated_at`) and the comments of
the newest ones (the desk's wrap-ups, follow-ups and callbacks among them, by the marker on their last line).
Zendesk keeps no quality evaluations; consent is the account's checkbox user fields the configuration names
(consent.py); a ticket's audits (each status change) are not read: its current status is the item."""

from __future__ import annotations

from typing import Any

from agent_desktop.adapters.zendesk import records
from agent_desktop.domain.customers.timeline import TimelineItem, TimelinePage, consent_of, from_record, page_of
from agent_desktop.domain.models import CustomerRecord

_CLOSED = {"solved", "closed"}


def _ticket_changes(tickets: list[dict[str, Any]]) -> list[TimelineItem]:
    items = []
    for ticket in tickets:
        updated = ticket.get("updated_at")
        if not updated or updated == ticket.get("created_at"):
            continue
        status = str(ticket.get("status") or "")
        subject = str(ticket.get("subject") or "")
        items.append(
            TimelineItem(
                id=f"{ticket['id']}:updated",
                at=records.created({"created_at": updated}),
                kind="case_closed" if status in _CLOSED else "case_updated",
                summary=f"{ticket['id']} · {' '.join(subject.split())[:150]} · {status}",
            )
        )
    return items


def timeline_page(
    record: CustomerRecord, tickets: list[dict[str, Any]], before: str | None, limit: int
) -> TimelinePage:
    items = [*from_record(record), *_ticket_changes(tickets)]
    return page_of(items, consent_of(record.customer), before, limit)
