"""Zendesk's JSON read as the desk's models, and the desk's writes as comment text Zendesk can keep.

A comment has no idempotency key and no fields of its own, so what the desk writes ends with one
machine-readable line, `agent-desktop {json}` (agent_desktop/adapters/wire/written_marker.py, as Request Tracker's).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agent_desktop.adapters.wire.written_marker import (
    marker_of,
    written_interaction,
)
from agent_desktop.adapters.zendesk.consent import ConsentFields
from agent_desktop.domain.models import Case, Channel, Customer, Interaction

CONTACT_TAG = "contact-"
_VIA_CHANNEL = {
    "voice": Channel.VOICE,
    "email": Channel.EMAIL,
    "chat": Channel.CHAT,
    "native_messaging": Channel.CHAT,
    "sms": Channel.SMS,
    "text": Channel.SMS,
}
NO_CONSENT_FIELDS = ConsentFields()
_CASE_STATUS = {"new": "open", "hold": "pending"}  # the rest keep Zendesk's word (open, pending, solved, closed)


def contact_tag(contact_id: str) -> str:
    """Zendesk keeps tags in lower case, without spaces."""
    return CONTACT_TAG + "_".join(contact_id.lower().split())


def customer(user: dict[str, Any], consent: ConsentFields = NO_CONSENT_FIELDS) -> Customer:
    """The Zendesk user as the desk's customer; consent from the user fields `consent` names (consent.py)."""
    fields = user.get("user_fields") or {}
    text = {
        name: fields.get(name) if isinstance(fields.get(name), str) else None
        for name in ("tier", "segment", "account_number")
    }
    return Customer(
        id=str(user["id"]),
        name=user.get("name") or "",
        phones=[user["phone"]] if user.get("phone") else [],
        emails=[user["email"]] if user.get("email") else [],
        language=user.get("locale"),
        notes=user.get("notes"),
        address=user.get("details"),
        **text,
        **consent.read(fields),
    )


def case(ticket: dict[str, Any]) -> Case:
    status = ticket.get("status") or "open"
    tags = ticket.get("tags") or []
    return Case(
        id=str(ticket["id"]),
        customer_id=str(ticket.get("requester_id") or ""),
        subject=ticket.get("subject") or ticket.get("description") or "",
        status=_CASE_STATUS.get(status, status),
        priority=ticket.get("priority") or "normal",
        opened_at=ticket["created_at"],
        contact_ids=[tag.removeprefix(CONTACT_TAG) for tag in tags if tag.startswith(CONTACT_TAG)],
    )


def interaction_id(ticket_id: int | str, comment: dict[str, Any]) -> str:
    key = marker_of(comment.get("body") or "").get("key")
    return f"{ticket_id}:{key}" if isinstance(key, str) else f"{ticket_id}:c{comment['id']}"


def interaction(ticket: dict[str, Any], comment: dict[str, Any]) -> Interaction:
    via = _VIA_CHANNEL.get((comment.get("via") or {}).get("channel") or "", Channel.EMAIL)
    return written_interaction(
        comment.get("body") or "",
        id=interaction_id(ticket["id"], comment),
        # a wrap-up nobody was identified for is on a ticket Zendesk gave the API user as requester
        customer_id=str(ticket.get("requester_id") or "") or None,
        channel=via,
        created_at=comment["created_at"],
    )


def created(comment_or_ticket: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(comment_or_ticket["created_at"]).replace("Z", "+00:00"))
