"""RT's REST 2 JSON read as the desk's models, and the desk's writes as text RT keeps in a comment.

An RT comment keeps text and transaction custom fields. The outbox's key rides in the transaction custom field
`Agent desktop key` (searchable with TransactionSQL: the retry's look-up); the interaction's own fields (contact,
channel, agent, disposition...) ride on the comment's last line, `agent-desktop {json}`, with a digest of the text
that tells a retry of this write from another write that reused its key (agent_desktop/adapters/wire/
written_marker.py, as Zendesk's; docs/vendors/request-tracker.md).
"""

from __future__ import annotations

from typing import Any

from agent_desktop.adapters.wire.written_marker import (
    written_interaction,
)
from agent_desktop.domain.models import Case, Channel, Customer, Interaction

# The custom fields the desk reads and writes (made by the RT administrator: docs/vendors/request-tracker.md).
PHONE_FIELD = "Phone"  # user, FreeformMultiple: RT::User's own phone columns cannot be searched through REST 2
ACCOUNT_FIELD = "Account number"  # user, FreeformSingle
TIER_FIELD = "Tier"  # user, FreeformSingle
SMS_CONSENT_FIELD = "SMS consent"  # user, SelectSingle yes/no
MARKETING_CONSENT_FIELD = "Marketing consent"  # user, SelectSingle yes/no
DISPOSITION_FIELD = "Disposition"  # ticket, FreeformSingle: the last wrap-up's disposition
CONTACT_FIELD = "Contact"  # ticket, FreeformMultiple: the contacts the ticket is about
TICKET_KEY_FIELD = "Agent desktop ticket key"  # ticket, FreeformSingle: the key of the write that made it
KEY_FIELD = "Agent desktop key"  # transaction, FreeformSingle: the key of the write that made the comment

_CASE_STATUS = {"new": "open", "stalled": "pending"}  # the rest keep RT's word (open, resolved, rejected)
# RT 5's default %PriorityAsString: Low 0, Medium 50, High 100 (RT_Config.pm); the desk's four words on its scale.
PRIORITY_NUMBER = {"low": 0, "normal": 50, "high": 100, "urgent": 150}


def priority_word(value: object) -> str:
    try:
        number = int(str(value))
    except ValueError:
        return "normal"
    return "low" if number < 25 else "normal" if number < 75 else "high" if number < 125 else "urgent"


def field_values(record: dict[str, Any], name: str) -> list[str]:
    """The values of custom field `name` as REST 2 lists them on a record (`CustomFields: [{name, values}]`)."""
    for field in record.get("CustomFields") or []:
        if isinstance(field, dict) and field.get("name") == name:
            return [str(value) for value in field.get("values") or [] if isinstance(value, str | int)]
    return []


def _consent(record: dict[str, Any], name: str) -> bool | None:
    values = field_values(record, name)
    return None if not values else values[0].lower() == "yes"


def customer(user: dict[str, Any]) -> Customer:
    """The RT user as the desk's customer; its id is the user's Name (REST 2 names users by it in every answer)."""
    account = field_values(user, ACCOUNT_FIELD)
    tier = field_values(user, TIER_FIELD)
    return Customer(
        id=str(user.get("Name") or user.get("id") or ""),
        name=str(user.get("RealName") or user.get("Name") or ""),
        phones=field_values(user, PHONE_FIELD),
        emails=[user["EmailAddress"]] if user.get("EmailAddress") else [],
        language=user.get("Lang") or None,
        account_number=account[0] if account else None,
        tier=tier[0] if tier else None,
        notes=user.get("Comments") or None,
        consent_sms=_consent(user, SMS_CONSENT_FIELD),
        consent_marketing=_consent(user, MARKETING_CONSENT_FIELD),
    )


def requestor_of(ticket: dict[str, Any]) -> str:
    people = ticket.get("Requestor") or []
    first = people[0] if isinstance(people, list) and people else {}
    return str(first.get("id") or "") if isinstance(first, dict) else ""


def case(ticket: dict[str, Any]) -> Case:
    status = str(ticket.get("Status") or "open")
    return Case(
        id=str(ticket["id"]),
        customer_id=requestor_of(ticket),
        subject=str(ticket.get("Subject") or ""),
        status=_CASE_STATUS.get(status, status),
        priority=priority_word(ticket.get("Priority")),
        opened_at=ticket["Created"],
        contact_ids=field_values(ticket, CONTACT_FIELD),
    )


def interaction(ticket: dict[str, Any], transaction_id: str, body: str, created_at: str) -> Interaction:
    return written_interaction(
        body,
        id=f"{ticket['id']}:{transaction_id}",
        customer_id=requestor_of(ticket) or None,
        channel=Channel.EMAIL,
        created_at=created_at,
    )


def ticketsql_string(value: str) -> str:
    """A value quoted for TicketSQL / TransactionSQL (RT's parser reads backslash escapes inside quotes)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
