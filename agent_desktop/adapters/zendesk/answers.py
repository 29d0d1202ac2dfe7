"""What the desk reads of each Zendesk answer, checked once where the answer is parsed.

The CRM on Zendesk (crm_zendesk.py, zendesk_records.py, zendesk_users.py) reads Zendesk's JSON as dicts; a
field missing or of another type there (an object for a user's `id`, a number for a ticket's `tags`, a date
that is not a date) surfaced as a KeyError, TypeError or ValidationError the desk does not catch, and the
desk exited. Every successful answer is now read through `Answer`: the keys the desk reads (a user, users,
search results, a ticket, tickets, comments, the next page) and, in each resource, exactly the fields the desk
reads, of the types Zendesk's OpenAPI (docs/vendors/zendesk-support.openapi.yaml) gives them. Nothing is
coerced (strict): a text where a number was expected is refused, not guessed at.

What the backend gets back is the answer as checked: plain dicts holding only those fields (absent ones as
None, dates as timezone-aware datetimes), so nothing reads a field this table does not name. An answer that
does not fit is a `BackendError` in words naming Zendesk and the field ("502 Zendesk sent an answer the desk
cannot read (answer.users.0.id: Input should be a valid integer)"), never the field's value (answer_json.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from agent_desktop.adapters.wire.answer_json import kind_of, unreadable
from agent_desktop.domain.errors import BackendError

VENDOR = "Zendesk"


def _date(value: Any) -> datetime:
    """An ISO 8601 date with its time zone, as Zendesk writes them (`2024-05-01T09:30:00Z`). A date without a
    zone could not be sorted with the others; one near year 1 or 9999 would overflow the desk's arithmetic."""
    if not isinstance(value, str):
        raise ValueError("not a date written as a text")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("not an ISO 8601 date") from None
    if parsed.tzinfo is None or not 1900 <= parsed.year <= 9000:
        raise ValueError("not a date with its time zone in a year the desk can show")
    return parsed.astimezone(UTC)


ZendeskId = Annotated[int, Field(gt=0, lt=2**63)]  # Zendesk's ids are positive 64-bit integers
Date = Annotated[datetime, BeforeValidator(_date)]


class _Read(BaseModel):
    # Zendesk sends many more fields: only those below are read, and they are taken as sent (no coercion).
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, defer_build=True)


class User(_Read):
    id: ZendeskId
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    locale: str | None = None
    notes: str | None = None
    details: str | None = None
    user_fields: dict[str, Any] | None = None  # tier, segment, account_number: read only where they are texts


class Ticket(_Read):
    id: ZendeskId
    requester_id: ZendeskId | None = None
    subject: str | None = None
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    tags: list[str] | None = None
    created_at: Date
    updated_at: Date | None = None


class Via(_Read):
    channel: str | None = None


class Comment(_Read):
    id: ZendeskId
    body: str | None = None
    created_at: Date
    via: Via | None = None


class Answer(_Read):
    """Any answer of Zendesk's the desk reads: a resource (`user`, `ticket`) or a page of them."""

    user: User | None = None
    users: list[User] | None = None
    results: list[User] | None = None  # the search the desk makes (`role:end-user …`) finds users only
    ticket: Ticket | None = None
    tickets: list[Ticket] | None = None
    comments: list[Comment] | None = None
    next_page: str | None = None


def checked(backend: str, value: Any) -> dict[str, Any]:
    """`value` (an answer's JSON) as `Answer` reads it, as plain dicts; a BackendError naming the first field
    that does not fit."""
    if not isinstance(value, dict):
        raise BackendError(backend, f"502 {VENDOR} sent {kind_of(value)} where an object was expected", 502)
    try:
        return Answer.model_validate(value).model_dump()
    except ValidationError as error:
        raise unreadable(backend, VENDOR, "answer", error) from None


def resource(backend: str, answer: dict[str, Any], key: str) -> dict[str, Any]:
    """The one resource an answer to a write or a read by id must hold (`user`, `ticket`)."""
    found = answer.get(key)
    if not isinstance(found, dict):
        raise BackendError(backend, f"502 {VENDOR} sent an answer without its {key}", 502)
    return found
