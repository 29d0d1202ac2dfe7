"""The CRM on Zendesk Support (docs/vendors/zendesk-support.openapi.yaml): users are customers, tickets cases,
private ticket comments the history and the wrap-up.

What Zendesk cannot fill comes back empty: no orders and no billing account (the core product has neither),
no look-up by account number (not a Zendesk field). A user's card shows the Zendesk user (tier, segment
and account number only if the account defines user fields with those keys) and their tickets; history is
the comments of their newest tickets.

Callers (zendesk_users.py): a phone is searched as `phone:*{national digits}`, which matches every written
form; users this desk made are remembered while Zendesk's search index has not caught up with them, and a
number nobody is found by is read by its external id (`users.number_key`), which any desk's caller of that
number was made with. A caller with an email is made with `POST /users` (create), never `create_or_update`,
which would *update* the user who already has that email: name, phone and external id replaced. An email
another user has is refused by Zendesk (422) and said as CustomerExists with that customer, for the agent to
pick. A caller known by a phone alone is made with `create_or_update` keyed by the number's external id, so two
desks making the same caller at once make one user (the second updates it); a number whose key another person
already holds (a shared line) gets a user of its own with `POST /users`.

Written exactly once: `create_case` and a wrap-up with no open ticket of its contact send `POST /tickets`
with the outbox entry's key as `Idempotency-Key` (Zendesk answers a retry with the first ticket). A comment
on an existing ticket (`PUT /tickets/{id}` with `ticket.comment`) has no key in Zendesk, so the key goes on
the comment's last line and a retry looks for it among the ticket's newest comments before it writes. A new
user gets the key (or the number's) as `external_id`, read back directly (`show_many`) before a retry creates
anything. A contact is tied to a ticket by a `contact-{id}` tag (tags are a set: adding one twice is harmless).

Bounded reads: the card's history is the newest page of comments of the newest tickets; a write reads one
page of comments (newest first) to find its key, and none after it writes.

429: a `Retry-After` of at most `rate_limit_wait_s` is waited out once; a longer one is a retryable
BackendError carrying `retry_after_s` (the outbox sends again after that wait; a screen pop says it waits).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from agent_desktop.adapters.wire import written_marker
from agent_desktop.adapters.wire.answer_json import AnswerTooLarge, answer_json, send_bounded, too_large
from agent_desktop.adapters.wire.header_values import header_value
from agent_desktop.adapters.wire.http_errors import (
    is_html,
    json_body,
    not_json,
    rate_limited,
    retry_after_s,
    transport_error,
)
from agent_desktop.adapters.wire.paging import Pages
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.adapters.zendesk import answers, help_center, records, timeline, users
from agent_desktop.adapters.zendesk.consent import ConsentFields, opt_out_body, setting_of
from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop.domain.customers.timeline import TimelinePage
from agent_desktop.domain.errors import BackendError, CustomerExists
from agent_desktop.domain.knowledge.models import Article, ArticleHit
from agent_desktop.domain.knowledge.protocol import SEARCH_LIMIT_MOST
from agent_desktop.domain.models import (
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
from agent_desktop.domain.vocabulary import Channel

# Zendesk keeps a comment's body under 64 KB; the wrap-up is fitted to it (agent_desktop/outbox/fit.py).
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
ZENDESK_CAPABILITIES = CrmCapabilities(
    orders=False, billing=False, history_transcripts=False, supervision=False, link_with_wrap_up=True, knowledge=True
)
MATCHES_MOST = 300  # a phone shared by more is not one caller: three pages are plenty to say "several"
HISTORY_TICKETS = 5  # the card's history: comments of the newest tickets only, fetched side by side
HISTORY_COMMENTS = 100  # ... the newest page of each (one request per ticket)
KEY_SCAN = 100  # a retried write looks for its key among this many newest comments (one request)
COMMENTS_MOST = 5_000  # opening one past conversation: newest first, stopping where it is found
SEARCH_MOST = 20
MOST_PAGES = 60  # a paged read's bound (paging.py): 5,000 comments at 100 a page, and some to spare


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
        remember_new_users_s: float = users.REMEMBER_S,
        consent_fields: ConsentFields = records.NO_CONSENT_FIELDS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.limits = ZENDESK_LIMITS
        self.capabilities = ZENDESK_CAPABILITIES
        self._region = phone_region.upper()
        self._consent_fields = consent_fields
        self._made = users.RecentUsers(self._region, remember_new_users_s)
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

    async def _request(
        self, method: str, url: str, *, check: Callable[[str, Any], dict[str, Any]] = answers.checked, **kwargs: Any
    ) -> dict[str, Any]:
        """The answer's JSON object, read within bounds and checked field by field (zendesk_answers.py: only the
        fields the desk reads, as plain dicts); BackendError for a refusal, a failure, or an answer that is not
        one (a maintenance page served as 200: retryable, said in words)."""
        for attempt in range(2):
            try:
                response = await send_bounded(self._client, method, url, **kwargs)
            except AnswerTooLarge:
                raise too_large(self.name, answers.VENDOR) from None
            except httpx.HTTPError as error:
                raise transport_error(self.name, error) from error
            except httpx.InvalidURL as error:  # an id read from an answer that no URL can hold
                raise BackendError(self.name, "400 cannot ask Zendesk for that: not a URL", 400) from error
            if response.status_code == 429 and attempt == 0:
                wait = retry_after_s(response)
                if wait is not None and wait <= self._rate_limit_wait_s:
                    await asyncio.sleep(wait)  # nothing was done: sending again is safe, even for a comment
                    continue
            break
        if not response.is_success:
            raise _error(self.name, response)
        if is_html(response):
            raise not_json(self.name, response)
        return check(self.name, answer_json(self.name, response, answers.VENDOR))

    async def _resource(self, method: str, url: str, key: str, **kwargs: Any) -> dict[str, Any]:
        """The `user` or `ticket` the answer to a write or a read by id must hold."""
        return answers.resource(self.name, await self._request(method, url, **kwargs), key)

    async def _users_by_ids(self, ids: list[str]) -> list[dict[str, Any]]:
        """Users read directly (Show Many Users: no search index, so a user made a moment ago is there)."""
        if not ids:
            return []
        return (await self._get("/api/v2/users/show_many", ids=",".join(ids[:100]))).get("users") or []

    async def _get(self, url: str, **params: Any) -> dict[str, Any]:
        return await self._request("GET", url, params=params or None)

    async def _pages(
        self, url: str, key: str, most: int, *, strict: bool = False, **params: Any
    ) -> AsyncIterator[dict[str, Any]]:
        """Items across pages (`next_page`, followed only on the configured host: paging.py), at most `most`.
        A page without its list reads as none, unless `strict`: then it is a retryable error (a look for a write's
        key must not take "no list" for "not written")."""
        seen = 0
        pages = Pages(self.name, "Zendesk", self.base_url, MOST_PAGES)
        page: dict[str, Any] | None = await self._get(url, per_page=100, **params)
        while page is not None:
            items = page.get(key)
            if strict and not isinstance(items, list):
                raise BackendError(self.name, f"502 Zendesk answered without the {key} asked for", 502)
            for item in items if isinstance(items, list) else []:
                if seen >= most:
                    return
                seen += 1
                yield item
            following = pages.next(page.get("next_page")) if seen < most else None
            page = await self._get(following) if following else None

    async def check_access(self) -> None:
        await self._get("/api/v2/users/search", query="access-check", per_page=1)

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- reads ----------------------------------------------------------------------------------------

    def _customer(self, user: dict[str, Any]) -> Customer:
        return records.customer(user, self._consent_fields)

    async def _users_by_address(self, address: str) -> tuple[str | None, list[dict[str, Any]]]:
        address = address.strip()
        if users.looks_like_email(address):
            matched_on = "email"
            found = [u async for u in self._pages("/api/v2/users/search", "users", MATCHES_MOST, query=address)]
        else:
            phone = users.phone_query(address, self._region)
            if phone is None:
                return None, []
            matched_on = "phone"
            query = f"role:end-user {phone}"  # Talk Partner Edition: a leading `*` matches every written form
            found = [r async for r in self._pages("/api/v2/search", "results", MATCHES_MOST, query=query)]
            if not found:  # made by a desk (this one or another) within the index's lag: read by its number
                found = await self._users_with(users.number_key(address, self._region))
        known = {str(user["id"]) for user in found}
        recent = [i for i in self._made.matching(address) if i not in known]  # made here, not indexed yet
        return matched_on, users.merged(found, await self._users_by_ids(recent))

    async def lookup(self, address: str) -> LookupResult:
        matched_on, found = await self._users_by_address(address)
        if not found:
            return LookupResult()
        customers = [self._customer(user) for user in found]
        record = None
        if len(customers) == 1:
            record = await self._record(customers[0], matched_on)
        return LookupResult(matched_on=matched_on, customers=customers, record=record)

    async def lookup_account(self, account_number: str) -> LookupResult:
        return LookupResult()  # Zendesk has no account numbers to look up

    async def search_customers(self, query: str) -> list[Customer]:
        query = query.strip()
        if not query:
            return []
        phone = None if any(c.isalpha() for c in query) else users.phone_query(query, self._region)
        found = [u async for u in self._pages("/api/v2/users/search", "users", SEARCH_MOST, query=phone or query)]
        if phone and not found:
            found = await self._users_with(users.number_key(query, self._region))
        known = {str(user["id"]) for user in found}
        recent = self._made.matching(query) if phone or users.looks_like_email(query) else self._made.named(query)
        more = await self._users_by_ids([i for i in recent if i not in known])
        return [self._customer(user) for user in users.merged(found, more)][:SEARCH_MOST]

    async def _tickets(self, user_id: str) -> list[dict[str, Any]]:
        url = f"/api/v2/users/{_int_id(user_id, self.name)}/tickets/requested"
        return [t async for t in self._pages(url, "tickets", 100, sort_by="updated_at", sort_order="desc")]

    def _newest_comments(
        self, ticket_id: int | str, most: int, *, strict: bool = False
    ) -> AsyncIterator[dict[str, Any]]:
        """The ticket's comments, newest first, at most `most` (pages are read only as far as they are used)."""
        url = f"/api/v2/tickets/{_int_id(str(ticket_id), self.name)}/comments"
        return self._pages(url, "comments", most, strict=strict, sort_order="desc")

    async def _comments(self, ticket_id: int | str, most: int) -> list[dict[str, Any]]:
        return [c async for c in self._newest_comments(ticket_id, most)]

    async def _history(self, tickets: list[dict[str, Any]]) -> list[Interaction]:
        newest = tickets[:HISTORY_TICKETS]
        pages = await asyncio.gather(*(self._comments(ticket["id"], HISTORY_COMMENTS) for ticket in newest))
        items = [records.interaction(t, c) for t, comments in zip(newest, pages, strict=True) for c in comments]
        return sorted(items, key=lambda item: item.created_at, reverse=True)

    async def _record(self, customer: Customer, matched_on: str | None) -> CustomerRecord:
        tickets = await self._tickets(customer.id)
        return CustomerRecord(
            customer=customer,
            matched_on=matched_on,
            cases=[records.case(ticket) for ticket in tickets],
            interactions=await self._history(tickets),
        )

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        user = await self._resource("GET", f"/api/v2/users/{_int_id(customer_id, self.name)}", "user")
        return await self._record(self._customer(user), None)

    async def list_interactions(self, customer_id: str) -> list[Interaction]:
        return await self._history(await self._tickets(customer_id))

    async def customer_timeline(self, customer_id: str, before: str | None = None, limit: int = 50) -> TimelinePage:
        user = await self._resource("GET", f"/api/v2/users/{_int_id(customer_id, self.name)}", "user")
        tickets = await self._tickets(str(user["id"]))
        record = CustomerRecord(
            customer=self._customer(user),
            cases=[records.case(t) for t in tickets],
            interactions=await self._history(tickets),
        )
        return timeline.timeline_page(record, tickets, before, limit)

    async def interaction(self, interaction_id: str) -> Interaction:
        ticket_id, _, which = interaction_id.partition(":")
        async for comment in self._newest_comments(ticket_id, COMMENTS_MOST):
            if records.interaction_id(ticket_id, comment) == interaction_id:
                return records.interaction({"id": ticket_id}, comment)
        raise BackendError(self.name, f"404 no interaction {interaction_id}", 404)

    # --- writes ---------------------------------------------------------------------------------------

    async def _users_with(self, external_id: str | None) -> list[dict[str, Any]]:
        """The user with this external id, read directly (Show Many Users: not the search index, which lags)."""
        if external_id is None:
            return []
        return list((await self._get("/api/v2/users/show_many", external_ids=external_id)).get("users") or [])

    async def _user_made_with(self, key: str) -> dict[str, Any] | None:
        users_found = await self._users_with(key)
        return users_found[0] if users_found else None

    async def create_customer(self, customer: NewCustomer, idempotency_key: str | None = None) -> Customer:
        """A new user or a refusal, never a change to someone else's record. A caller known by a phone alone is
        the number's user: the one a desk made for it (this one, another, or this call's first try) is taken,
        else made once with Create Or Update User by the number's external id (two desks at once: one user). A
        number whose user is another person (a shared line), and any caller with an email: `POST /users`."""
        user: dict[str, Any] = {"name": customer.name, "role": "end-user"}
        if customer.emails:
            user["email"] = customer.emails[0]
        if customer.phones:
            user["phone"] = users.e164(customer.phones[0], self._region) or customer.phones[0]
        if customer.language:
            user["locale"] = customer.language
        number = None if customer.emails or not customer.phones else users.number_key(customer.phones[0], self._region)
        if number is not None:
            holder = await self._user_made_with(number)
            if holder is None:
                return await self._create_or_update({**user, "external_id": number})
            if users.same_name(holder, customer.name):
                self._made.add(holder)
                return self._customer(holder)
        key = idempotency_key[:255] if idempotency_key is not None else None
        if key is not None:
            user["external_id"] = key
            made = await self._user_made_with(key)  # a retry after a lost answer: the first attempt's user
            if made is not None:
                self._made.add(made)
                return self._customer(made)
        try:
            made = await self._resource(
                "POST", "/api/v2/users", "user", json={"user": user}, timeout=self._write_timeout
            )
        except BackendError as error:
            if error.status != 422:
                raise
            # the key taken: a send that raced this one made the user; else an email taken: someone else's
            raced = await self._user_made_with(key) if key is not None and "external" in error.message.lower() else None
            if raced is None:
                raise await self._taken(error, customer) from error
            made = raced
        self._made.add(made)
        return self._customer(made)

    async def _create_or_update(self, user: dict[str, Any]) -> Customer:
        """Create Or Update User: made (201), or, where a desk made the user with this external id a moment ago,
        that user updated with the same number and name (200)."""
        made = await self._resource(
            "POST", "/api/v2/users/create_or_update", "user", json={"user": user}, timeout=self._write_timeout
        )
        self._made.add(made)
        return self._customer(made)

    async def _taken(self, error: BackendError, customer: NewCustomer) -> BackendError:
        """Zendesk's "Email: … is already being used by another user" as CustomerExists, with that customer."""
        if not customer.emails or "already being used" not in error.message:
            return error
        email = customer.emails[0]
        found = [self._customer(u) for u in (await self._users_by_address(email))[1]]
        names = ", ".join(c.name for c in found[:3]) or "another customer"
        return CustomerExists(self.name, f"422 {email} is already {names}'s email in Zendesk: pick them instead", found)

    async def _create_ticket(self, ticket: dict[str, Any], key: str) -> dict[str, Any]:
        return await self._resource(
            "POST",
            "/api/v2/tickets",
            "ticket",
            json={"ticket": ticket},
            headers={"Idempotency-Key": header_value(key)},
            timeout=self._write_timeout,
        )

    async def _open_ticket_of(self, customer_id: str | None, contact_id: str | None) -> dict[str, Any] | None:
        """The newest ticket of the customer's tagged with this contact that still takes comments."""
        if customer_id is None or contact_id is None:
            return None
        tag = records.contact_tag(contact_id)
        for ticket in await self._tickets(customer_id):
            if tag in (ticket.get("tags") or []) and ticket.get("status") != "closed":
                return ticket
        return None

    async def _case_ticket_of(self, customer_id: str | None, case_id: str | None) -> dict[str, Any] | None:
        """The customer's ticket `case_id` (a case linked during the contact: CrmCapabilities.link_with_wrap_up),
        if it still takes comments; a closed one: None (the wrap-up is written on a ticket of its own, unlinked)."""
        if customer_id is None or case_id is None:
            return None
        for ticket in await self._tickets(customer_id):
            if str(ticket.get("id")) == case_id and ticket.get("status") != "closed":
                return ticket
        return None

    async def _comment_once(
        self, ticket: dict[str, Any], body: str, key: str, tags: list[str] | None = None
    ) -> dict[str, Any]:
        """Add a private comment unless one with this key is there already (a retry after a lost answer);
        returns that comment. `tags`: added by the same update (Update Ticket takes `comment` and `additional_tags`
        together: one update against its limits, not two)."""
        digest = written_marker.marker_of(body).get("digest")
        # A retry follows its write closely. An answer without the comments says nothing of the key: an error.
        async for comment in self._newest_comments(ticket["id"], KEY_SCAN, strict=True):
            seen = comment.get("body")
            if not isinstance(seen, str):  # its words not sent: whether it holds the key is not known
                raise BackendError(self.name, "502 Zendesk answered a comment without its body", 502)
            marker = written_marker.marker_of(seen)
            if marker.get("key") == key:
                if marker.get("digest") not in (None, digest):  # the key reused for another write: refused, as
                    raise BackendError(  # Zendesk refuses an Idempotency-Key reused with another ticket
                        self.name,
                        f"422 Idempotency-Key {key!r} was already used with a different body or endpoint",
                        422,
                    )
                return comment
        change: dict[str, Any] = {"comment": {"body": body, "public": False}}
        if tags:
            change["additional_tags"] = tags
        updated = await self._resource(
            "PUT", f"/api/v2/tickets/{ticket['id']}", "ticket", json={"ticket": change}, timeout=self._write_timeout
        )
        # Not read back: the comment is what was sent, made when the ticket was updated (created, at the latest).
        updated_at = updated["updated_at"] or updated["created_at"]
        return {"id": 0, "body": body, "created_at": updated_at, "public": False, "via": {"channel": "api"}}

    def _check_size(self, body: str) -> None:
        size = len(body.encode())
        if size > self.limits.max_body_bytes:
            raise BackendError(
                self.name, f"413 not sent: {size:,} bytes, over Zendesk's {self.limits.max_body_bytes:,}", 413
            )

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        fields = written_marker.interaction_fields(interaction, idempotency_key)
        body = written_marker.with_marker(written_marker.interaction_text(interaction), fields)
        self._check_size(body)
        ticket = await self._open_ticket_of(interaction.customer_id, interaction.contact_id)
        tags: list[str] = []
        if ticket is None:  # a case linked during the contact: the tag comes with the comment, one update
            ticket = await self._case_ticket_of(interaction.customer_id, interaction.case_id)
            tags = [records.contact_tag(interaction.contact_id)] if ticket is not None else []
        if ticket is not None:
            comment = await self._comment_once(ticket, body, idempotency_key, tags)
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

    async def record_opt_out(self, customer_id: str, consent: str) -> Customer:
        """The consent's checkbox user field set to false (Update User, that field alone). Refused, naming the
        setting, where none is configured; a BackendError too where Zendesk's answer does not hold it false (the
        account has no user field with that key: Zendesk keeps only the fields it defines)."""
        key = self._consent_fields.key_of(consent)
        if key is None:
            raise BackendError(self.name, f"400 this CRM keeps no {consent}: configure {setting_of(consent)}", 400)
        user = await self._resource(
            "PUT",
            f"/api/v2/users/{_int_id(customer_id, self.name)}",
            "user",
            json=opt_out_body(key),
            timeout=self._write_timeout,
        )
        if (user.get("user_fields") or {}).get(key) is not False:
            raise BackendError(
                self.name, f"422 Zendesk did not keep user field {key!r}: does the account define it?", 422
            )
        return self._customer(user)

    async def withdraw_consent(self, customer_id: str, channel: Channel, reason: str, idempotency_key: str) -> Customer:
        """The customer opted out of `channel` (Twilio's 21610, or STOP texted: domain/protocols.py's
        ConsentWithdrawals): its checkbox user field set to false by `record_opt_out`. Update User has no key, and
        none is needed: false set twice is false. A channel whose consent the account keeps in no field configured
        here: nothing to write (the desk sends such a customer nothing: docs/backends.md), the customer as kept."""
        consent = "consent_sms" if channel == Channel.SMS else "consent_marketing"
        if self._consent_fields.key_of(consent) is None:
            return (await self.customer_record(customer_id)).customer
        return await self.record_opt_out(customer_id, consent)

    async def record_supervision(self, record: SupervisionRecord, idempotency_key: str) -> Supervision:
        """Not kept: Zendesk has no place for it that an agent would not read (a ticket's internal comments
        are shown to agents), and an unannounced monitor must never be (capability `supervision` off)."""
        raise BackendError(self.name, "400 Zendesk keeps no supervision records (capability supervision is off)", 400)

    async def add_note(self, customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note:
        body = written_marker.with_marker(text, {"key": idempotency_key, "contact_id": contact_id, "note": True})
        self._check_size(body)
        ticket = await self._open_ticket_of(customer_id, contact_id)
        if ticket is not None:
            comment = await self._comment_once(ticket, body, idempotency_key)
            created = comment["created_at"]
        else:
            tags = ["agent-desktop"] + ([records.contact_tag(contact_id)] if contact_id else [])
            new = {
                "subject": f"Note: {text.splitlines()[0] if text else ''}"[:250],
                "comment": {"body": body, "public": False},
                "requester_id": _int_id(customer_id, self.name),
                "tags": tags,
            }
            ticket = await self._create_ticket(new, idempotency_key)
            created = ticket["created_at"]
        return Note(
            id=f"{ticket['id']}:{idempotency_key}",
            customer_id=customer_id,
            contact_id=contact_id,
            text=text,
            created_at=created,
        )

    async def create_case(self, case: CaseCreate, idempotency_key: str) -> Case:
        tags = ["agent-desktop"] + ([records.contact_tag(case.contact_id)] if case.contact_id else [])
        body = written_marker.with_marker(
            f"Case opened: {case.subject}", {"key": idempotency_key, "contact_id": case.contact_id}
        )
        ticket = await self._create_ticket(
            {
                "subject": case.subject,
                "priority": case.priority,
                "requester_id": _int_id(case.customer_id, self.name),
                "comment": {"body": body, "public": False},
                "tags": tags,
            },
            idempotency_key,
        )
        return records.case(ticket)

    async def link_case(self, case_id: str, contact_id: str, idempotency_key: str) -> Case:
        # Adding a tag twice leaves one: this write is idempotent without a key.
        ticket = await self._resource(
            "PUT",
            f"/api/v2/tickets/{_int_id(case_id, self.name)}",
            "ticket",
            json={"ticket": {"additional_tags": [records.contact_tag(contact_id)]}},
            timeout=self._write_timeout,
        )
        return records.case(ticket)

    # --- knowledge: Help Center (help_center.py) -------------------------------------------------------

    async def search_articles(self, query: str, limit: int = 10, queue: str | None = None) -> list[ArticleHit]:
        """Search Articles, one page of `limit` (at most 50: the desk shows a handful); `queue` as a label."""
        if not help_center.searchable(query):
            raise BackendError(self.name, "422 the query has no word to search for", 422)
        params: dict[str, Any] = {"query": query, "per_page": max(1, min(limit, SEARCH_LIMIT_MOST))}
        if queue is not None:
            params["label_names"] = queue
        answer = await self._request(
            "GET", "/api/v2/help_center/articles/search", params=params, check=help_center.checked
        )
        return help_center.hits(answer.get("results") or [])

    async def article(self, article_id: str) -> Article:
        if not article_id.isdigit():  # Zendesk's ids are integers: anything else is no article of it
            raise BackendError(self.name, f"404 no article {article_id}", 404)
        answer = await self._request(
            "GET", api_path("/api/v2/help_center/articles/{}", article_id), check=help_center.checked
        )
        return help_center.article(answers.resource(self.name, answer, "article"))


def _int_id(value: str, backend: str) -> int:
    """Zendesk ids are integers; anything else (an id from another CRM) is refused before it is sent."""
    if not value.isdigit() or int(value) < 1:
        raise BackendError(backend, f"400 not a Zendesk id: {value[:40]!r}", 400)  # an id of any length
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
            parts += [
                f"{field}: {item.get('description')}"
                for field, items in details.items()
                if isinstance(items, list)
                for item in items
                if isinstance(item, dict)
            ]
        text = "; ".join(parts) or text
    wait = None
    if response.status_code == 429:
        wait = retry_after_s(response)
        text = rate_limited(wait)
    return BackendError(backend, f"{response.status_code} {text}", response.status_code, retry_after_s=wait)
