"""The CRM on Zendesk Support (docs/vendors/zendesk-support.openapi.yaml): users are customers, tickets cases,
private ticket comments the history and the wrap-up.

What Zendesk cannot fill comes back empty: no orders and no billing account (the core product has neither),
no look-up by account number (not a Zendesk field). A user's card shows the Zendesk user (tier, segment
and account number only if the account defines user fields with those keys) and their tickets; history is
the comments of their newest tickets.

Written exactly once: `create_case` and a wrap-up with no open ticket of its contact send `POST /tickets`
with the outbox entry's key as `Idempotency-Key` (Zendesk answers a retry with the first ticket). A comment
on an existing ticket (`PUT /tickets/{id}` with `ticket.comment`) has no key in Zendesk, so the key goes on
the comment's last line and a retry looks for it in the ticket's comments before it writes. A contact is
tied to a ticket by a `contact-{id}` tag (tags are a set: adding one twice is harmless).

429: a `Retry-After` of at most `rate_limit_wait_s` is waited out once; a longer one is a retryable
BackendError (the outbox sends again later; a screen pop says the CRM is busy).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import phonenumbers

from desktop.backends import zendesk_records as records
from desktop.backends.capabilities import CrmCapabilities
from desktop.backends.crm_limits import CrmLimits
from desktop.backends.errors import BackendError
from desktop.backends.http_errors import json_body, retry_after_s, transport_error
from desktop.backends.models import (
    Case,
    CaseCreate,
    Customer,
    CustomerRecord,
    Interaction,
    InteractionCreate,
    LookupResult,
    NewCustomer,
    Note,
    Supervision,
    SupervisionRecord,
)

# Zendesk keeps a comment's body under 64 KB; the wrap-up is fitted to it (desktop/outbox/fit.py).
ZENDESK_LIMITS = CrmLimits(
    max_body_bytes=64_000,
    max_transcript_items=1_000,
    max_item_chars=4_000,
    max_name_chars=200,
    max_notes_chars=20_000,
    max_private_notes=50,
    max_private_note_chars=2_000,
)
# No orders or billing objects in Zendesk Support; a transcript is written into the comment's body (shown
# with the notes), not kept as items to open.
ZENDESK_CAPABILITIES = CrmCapabilities(orders=False, billing=False, history_transcripts=False, supervision=False)
MATCHES_MOST = 300  # a phone shared by more is not one caller: three pages are plenty to say "several"
HISTORY_TICKETS = 5  # the card's history: comments of the newest tickets only, fetched side by side
SEARCH_MOST = 20


def e164(address: str, region: str) -> str | None:
    """A phone number written any way (`(415) 555-0100`, `+1 415.555.0100`) in E.164, or None."""
    if len(address) > 64 or "@" in address:
        return None
    try:
        number = phonenumbers.parse(address, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ZendeskCrm:
    """One long-lived httpx client with basic auth `{email}/token:{api_token}`."""

    name = "Zendesk"

    def __init__(
        self,
        base_url: str,
        email: str,
        api_token: str,
        *,
        timeout_s: float = 5.0,
        write_timeout_s: float = 30.0,
        rate_limit_wait_s: float = 2.0,
        phone_region: str = "US",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.limits = ZENDESK_LIMITS
        self.capabilities = ZENDESK_CAPABILITIES
        self._region = phone_region.upper()
        self._rate_limit_wait_s = rate_limit_wait_s
        self._write_timeout = httpx.Timeout(write_timeout_s, connect=min(timeout_s, 3.0))
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            auth=httpx.BasicAuth(f"{email}/token", api_token),
            headers={"User-Agent": "agent-desktop", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)),
            transport=transport,
        )

    # --- HTTP -----------------------------------------------------------------------------------------

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        for attempt in range(2):
            try:
                response = await self._client.request(method, url, **kwargs)
            except httpx.HTTPError as error:
                raise transport_error(self.name, error) from error
            if response.status_code == 429 and attempt == 0:
                wait = retry_after_s(response)
                if wait is not None and wait <= self._rate_limit_wait_s:
                    await asyncio.sleep(wait)  # nothing was done: sending again is safe, even for a comment
                    continue
            break
        if not response.is_success:
            raise _error(self.name, response)
        return response

    async def _get(self, url: str, **params: Any) -> dict[str, Any]:
        return (await self._request("GET", url, params=params or None)).json()

    async def _pages(self, url: str, key: str, most: int, **params: Any) -> AsyncIterator[dict[str, Any]]:
        """Items across pages (`next_page`), at most `most`."""
        seen = 0
        page: dict[str, Any] | None = await self._get(url, per_page=100, **params)
        while page is not None:
            for item in page.get(key) or []:
                if seen >= most:
                    return
                seen += 1
                yield item
            following = page.get("next_page")
            page = await self._get(following) if following and seen < most else None

    async def check_access(self) -> None:
        await self._get("/api/v2/users/search", query="access-check", per_page=1)

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- reads ----------------------------------------------------------------------------------------

    async def _users_by_address(self, address: str) -> tuple[str | None, list[dict[str, Any]]]:
        address = address.strip()
        local, at, domain = address.partition("@")
        if at and local and "." in domain:
            return "email", [u async for u in self._pages("/api/v2/users/search", "users", MATCHES_MOST, query=address)]
        number = e164(address, self._region)
        if number is None:
            return None, []
        # Talk Partner Edition's advice: digits only, no `+`.
        query = f"role:end-user phone:{number.removeprefix('+')}"
        return "phone", [r async for r in self._pages("/api/v2/search", "results", MATCHES_MOST, query=query)]

    async def lookup(self, address: str) -> LookupResult:
        matched_on, users = await self._users_by_address(address)
        if not users:
            return LookupResult()
        customers = [records.customer(user) for user in users]
        record = None
        if len(customers) == 1:
            record = await self._record(customers[0], matched_on)
        return LookupResult(matched_on=matched_on, customers=customers, record=record)  # type: ignore[arg-type]

    async def lookup_account(self, account_number: str) -> LookupResult:
        return LookupResult()  # Zendesk has no account numbers to look up

    async def search_customers(self, query: str) -> list[Customer]:
        if not query.strip():
            return []
        users = [u async for u in self._pages("/api/v2/users/search", "users", SEARCH_MOST, query=query.strip())]
        return [records.customer(user) for user in users]

    async def _tickets(self, user_id: str) -> list[dict[str, Any]]:
        url = f"/api/v2/users/{_int_id(user_id, self.name)}/tickets/requested"
        return [t async for t in self._pages(url, "tickets", 100, sort_by="updated_at", sort_order="desc")]

    async def _comments(self, ticket_id: int | str) -> list[dict[str, Any]]:
        url = f"/api/v2/tickets/{_int_id(str(ticket_id), self.name)}/comments"
        return [c async for c in self._pages(url, "comments", 5_000)]

    async def _history(self, tickets: list[dict[str, Any]]) -> list[Interaction]:
        newest = tickets[:HISTORY_TICKETS]
        pages = await asyncio.gather(*(self._comments(ticket["id"]) for ticket in newest))
        items = [records.interaction(t, c) for t, comments in zip(newest, pages, strict=True) for c in comments]
        return sorted(items, key=lambda item: item.created_at, reverse=True)

    async def _record(self, customer: Customer, matched_on: str | None) -> CustomerRecord:
        tickets = await self._tickets(customer.id)
        return CustomerRecord(
            customer=customer,
            matched_on=matched_on,  # type: ignore[arg-type]
            cases=[records.case(ticket) for ticket in tickets],
            interactions=await self._history(tickets),
        )

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        user = (await self._get(f"/api/v2/users/{_int_id(customer_id, self.name)}"))["user"]
        return await self._record(records.customer(user), None)

    async def list_interactions(self, customer_id: str) -> list[Interaction]:
        return await self._history(await self._tickets(customer_id))

    async def interaction(self, interaction_id: str) -> Interaction:
        ticket_id, _, which = interaction_id.partition(":")
        for comment in await self._comments(ticket_id):
            if records.interaction_id(ticket_id, comment) == interaction_id:
                return records.interaction({"id": ticket_id}, comment)
        raise BackendError(self.name, f"404 no interaction {interaction_id}", 404)

    # --- writes ---------------------------------------------------------------------------------------

    async def create_customer(self, customer: NewCustomer, idempotency_key: str | None = None) -> Customer:
        user: dict[str, Any] = {"name": customer.name, "role": "end-user"}
        if customer.emails:
            user["email"] = customer.emails[0]
        if customer.phones:
            user["phone"] = e164(customer.phones[0], self._region) or customer.phones[0]
        if customer.language:
            user["locale"] = customer.language
        if idempotency_key is not None:
            user["external_id"] = idempotency_key[:255]
        # create_or_update matches on email, then external_id: a retry finds the user the first attempt made,
        # even a caller known only by a phone number.
        response = await self._request(
            "POST", "/api/v2/users/create_or_update", json={"user": user}, timeout=self._write_timeout
        )
        return records.customer(response.json()["user"])

    async def _create_ticket(self, ticket: dict[str, Any], key: str) -> dict[str, Any]:
        response = await self._request(
            "POST", "/api/v2/tickets", json={"ticket": ticket}, headers={"Idempotency-Key": key},
            timeout=self._write_timeout,
        )  # fmt: skip
        return response.json()["ticket"]

    async def _open_ticket_of(self, customer_id: str | None, contact_id: str | None) -> dict[str, Any] | None:
        """The newest ticket of the customer's tagged with this contact that still takes comments."""
        if customer_id is None or contact_id is None:
            return None
        tag = records.contact_tag(contact_id)
        for ticket in await self._tickets(customer_id):
            if tag in (ticket.get("tags") or []) and ticket.get("status") != "closed":
                return ticket
        return None

    async def _comment_once(self, ticket: dict[str, Any], body: str, key: str) -> dict[str, Any]:
        """Add a private comment unless one with this key is there already (a retry after a lost answer);
        returns that comment."""
        digest = records.marker_of(body).get("digest")
        for comment in await self._comments(ticket["id"]):
            marker = records.marker_of(comment.get("body") or "")
            if marker.get("key") == key:
                if marker.get("digest") not in (None, digest):  # the key reused for another write: refused, as
                    raise BackendError(  # Zendesk refuses an Idempotency-Key reused with another ticket
                        self.name, f"422 Idempotency-Key {key!r} was already used with a different body or endpoint", 422
                    )
                return comment
        await self._request(
            "PUT", f"/api/v2/tickets/{ticket['id']}", json={"ticket": {"comment": {"body": body, "public": False}}},
            timeout=self._write_timeout,
        )  # fmt: skip
        for comment in reversed(await self._comments(ticket["id"])):
            if records.marker_of(comment.get("body") or "").get("key") == key:
                return comment
        raise BackendError(self.name, f"the comment on ticket {ticket['id']} was not found after it was written")

    def _check_size(self, body: str) -> None:
        size = len(body.encode())
        if size > self.limits.max_body_bytes:
            raise BackendError(self.name, f"413 not sent: {size:,} bytes, over Zendesk's {self.limits.max_body_bytes:,}", 413)

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        fields = records.interaction_fields(interaction, idempotency_key)
        body = records.with_marker(records.interaction_text(interaction), fields)
        self._check_size(body)
        ticket = await self._open_ticket_of(interaction.customer_id, interaction.contact_id)
        if ticket is not None:
            comment = await self._comment_once(ticket, body, idempotency_key)
            return records.interaction(ticket, comment)
        summary = interaction.summary or interaction.disposition
        new: dict[str, Any] = {
            "subject": f"{interaction.channel.value.capitalize()} {interaction.direction}: {summary}"[:250],
            "comment": {"body": body, "public": False},
            "tags": ["agent-desktop", records.contact_tag(interaction.contact_id)],
        }
        if interaction.customer_id is not None:
            new["requester_id"] = _int_id(interaction.customer_id, self.name)
        ticket = await self._create_ticket(new, idempotency_key)
        first = {"id": 0, "body": body, "created_at": ticket["created_at"], "via": {"channel": "api"}}
        return records.interaction(ticket, first)

    async def record_supervision(self, record: SupervisionRecord, idempotency_key: str) -> Supervision:
        """Not kept: Zendesk has no place for it that an agent would not read (a ticket's internal comments
        are shown to agents), and an unannounced monitor must never be (capability `supervision` off)."""
        raise BackendError(self.name, "400 Zendesk keeps no supervision records (capability supervision is off)", 400)

    async def add_note(self, customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note:
        body = records.with_marker(text, {"key": idempotency_key, "contact_id": contact_id, "note": True})
        self._check_size(body)
        ticket = await self._open_ticket_of(customer_id, contact_id)
        if ticket is not None:
            comment = await self._comment_once(ticket, body, idempotency_key)
            created = comment["created_at"]
        else:
            tags = ["agent-desktop"] + ([records.contact_tag(contact_id)] if contact_id else [])
            new = {"subject": f"Note: {text.splitlines()[0] if text else ''}"[:250], "comment": {"body": body, "public": False},
                   "requester_id": _int_id(customer_id, self.name), "tags": tags}  # fmt: skip
            ticket = await self._create_ticket(new, idempotency_key)
            created = ticket["created_at"]
        return Note(id=f"{ticket['id']}:{idempotency_key}", customer_id=customer_id, contact_id=contact_id, text=text,
                    created_at=created)  # fmt: skip

    async def create_case(self, case: CaseCreate, idempotency_key: str) -> Case:
        tags = ["agent-desktop"] + ([records.contact_tag(case.contact_id)] if case.contact_id else [])
        body = records.with_marker(f"Case opened: {case.subject}", {"key": idempotency_key, "contact_id": case.contact_id})
        ticket = await self._create_ticket(
            {"subject": case.subject, "priority": case.priority, "requester_id": _int_id(case.customer_id, self.name),
             "comment": {"body": body, "public": False}, "tags": tags},
            idempotency_key,
        )  # fmt: skip
        return records.case(ticket)

    async def link_case(self, case_id: str, contact_id: str, idempotency_key: str) -> Case:
        # Adding a tag twice leaves one: this write is idempotent without a key.
        response = await self._request(
            "PUT", f"/api/v2/tickets/{_int_id(case_id, self.name)}",
            json={"ticket": {"additional_tags": [records.contact_tag(contact_id)]}}, timeout=self._write_timeout,
        )  # fmt: skip
        return records.case(response.json()["ticket"])


def _int_id(value: str, backend: str) -> int:
    """Zendesk ids are integers; anything else (an id from another CRM) is refused before it is sent."""
    if not value.isdigit() or int(value) < 1:
        raise BackendError(backend, f"400 not a Zendesk id: {value!r}", 400)
    return int(value)


def _error(backend: str, response: httpx.Response) -> BackendError:
    """Zendesk's `{"error", "description", "details"}` in a line an agent can read."""
    text = response.reason_phrase
    body = json_body(response)
    if isinstance(body, dict):
        error = body.get("error")
        title = error.get("title") if isinstance(error, dict) else error
        parts = [str(part) for part in (title, body.get("description")) if part]
        details = body.get("details")
        if isinstance(details, dict):
            parts += [f"{field}: {item.get('description')}" for field, items in details.items() if isinstance(items, list)
                      for item in items if isinstance(item, dict)]  # fmt: skip
        text = "; ".join(parts) or text
    if response.status_code == 429:
        text = f"rate limited, retry after {response.headers.get('Retry-After', '?')} s"
    return BackendError(backend, f"{response.status_code} {text}", response.status_code)
