"""The CRM's records in Zendesk's JSON: customers as users, cases as tickets, interactions and notes as comments.

Zendesk ids are integers: a CRM id `cus-000061` is user 61, `case-000012` ticket 12. Comments take their
ids from three ranges so they never meet: interactions as they are, notes from NOTE_BASE, comments
written through this API from API_COMMENT_BASE. History the desk wrote through the CRM ends with the same
machine-readable last line the desktop's Zendesk backend writes (`agent-desktop {json}`), so the desk
reads seeded history and its own the same way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from agent_desktop_mocks.crm.schemas import Case, Customer, Interaction, Note

NOTE_BASE = 1_000_000_000
API_COMMENT_BASE = 2_000_000_000
AGENT_USER_ID = 900_000_000_000
"""The API user: the requester of a ticket created without one, the author of comments sent through the API."""
AGENT_CUSTOMER_ID = "zendesk-api-user"
"""What the CRM's case table holds as the customer of such a ticket."""
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
"""Customers have no creation time in the CRM; users need one."""
MARKER = "agent-desktop "
CONSENT_USER_FIELDS = {
    "marketing_opt_in": "consent_marketing",
    "sms_opt_in": "consent_sms",
    "recording_opt_in": "consent_recording",
}
"""The demo account's checkbox user fields (Zendesk has no consent of its own: an account defines such fields), each
holding the CRM customer's consent of that name: null where it was never asked (guessed: a checkbox nobody set)."""


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def number_of(crm_id: str, prefix: str) -> int | None:
    head, _, digits = crm_id.partition("-")
    return int(digits) if head == prefix and digits.isdigit() else None


def customer_id(user_id: int) -> str:
    return f"cus-{user_id:06d}"


def case_id(ticket_id: int) -> str:
    return f"case-{ticket_id:06d}"


def user_json(customer: Customer, base_url: str) -> dict[str, Any]:
    user_id = number_of(customer.id, "cus") or 0
    fields: dict[str, Any] = {
        "account_number": customer.account_number,
        "tier": customer.tier,
        "segment": customer.segment,
        **{key: getattr(customer, consent) for key, consent in CONSENT_USER_FIELDS.items()},
    }
    return {
        "id": user_id,
        "url": f"{base_url}/api/v2/users/{user_id}.json",
        "name": customer.name,
        "email": customer.emails[0] if customer.emails else None,
        "phone": customer.phones[0] if customer.phones else None,
        "role": "end-user",
        "locale": customer.language,
        "external_id": customer.id,
        "notes": customer.notes,
        "details": customer.address,
        "tags": [tag for tag in (customer.tier, customer.segment) if tag],
        "user_fields": fields,
        "active": True,
        "created_at": stamp(SINCE),
        "updated_at": stamp(SINCE),
    }


_STATUS = {"open": "open", "pending": "pending", "closed": "closed"}


def requester_of(case: Case) -> int:
    return number_of(case.customer_id, "cus") or AGENT_USER_ID


def ticket_json(case: Case, extra: dict[str, Any], base_url: str) -> dict[str, Any]:
    ticket_id = number_of(case.id, "case") or 0
    tags = sorted({*(f"contact-{contact}".lower() for contact in case.contact_ids), *extra.get("tags", [])})
    return {
        "id": ticket_id,
        "url": f"{base_url}/api/v2/tickets/{ticket_id}.json",
        "subject": case.subject,
        "description": extra.get("description") or case.subject,
        "status": extra.get("status") or _STATUS.get(case.status, "open"),
        "priority": case.priority,
        "requester_id": requester_of(case),
        "assignee_id": None,
        "external_id": extra.get("external_id"),
        "tags": tags,
        "created_at": stamp(case.opened_at),
        "updated_at": extra.get("updated_at") or stamp(case.opened_at),
    }


def _comment(comment_id: int, author: int, body: str, public: bool, at: datetime, channel: str) -> dict[str, Any]:
    return {
        "id": comment_id,
        "type": "Comment",
        "author_id": author,
        "body": body,
        "plain_body": body,
        "public": public,
        "created_at": stamp(at),
        "via": {"channel": channel},
    }


def interaction_comment(interaction: Interaction) -> dict[str, Any]:
    summary = interaction.summary or interaction.disposition or "Contact"
    lines = [f"{interaction.channel.value.capitalize()} {interaction.direction}: {summary}"]
    if interaction.notes:
        lines.append(interaction.notes)
    fields = {
        "contact_id": interaction.contact_id,
        "channel": interaction.channel.value,
        "direction": interaction.direction,
        "agent_id": interaction.agent_id,
        "queue_id": interaction.queue_id,
        "disposition": interaction.disposition,
        "summary": interaction.summary,
    }
    lines.append(MARKER + json.dumps({k: v for k, v in fields.items() if v is not None}, sort_keys=True))
    number = number_of(interaction.id, "int") or 0
    return _comment(number, AGENT_USER_ID, "\n".join(lines), False, interaction.created_at, "api")


def note_comment(note: Note) -> dict[str, Any]:
    number = NOTE_BASE + (number_of(note.id, "note") or 0)
    return _comment(number, AGENT_USER_ID, note.text, False, note.created_at, "api")


def api_comment(row: dict[str, Any]) -> dict[str, Any]:
    at = datetime.fromisoformat(row["created_at"])
    return _comment(API_COMMENT_BASE + row["id"], row["author_id"], row["body"], bool(row["public"]), at, "api")
