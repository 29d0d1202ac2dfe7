"""The CRM on Request Tracker 5 through its REST 2.0 API (docs/vendors/request-tracker.md cites RT's documentation
for each behaviour relied on): users are customers, tickets cases, comments the history and the wrap-up.

- Customers: RT users, named (their id here) by their email or, for a caller made by the desk, by the write's key
  (`desk-` and a digest: a retry finds the user it made by name, directly). Phones live in the user custom field
  `Phone`: REST 2 searches users only on RT::User's public columns and on custom fields, and silently drops a
  condition on any other (the phone columns), answering every user. A phone is searched by its last four digits
  (`LIKE`) and each candidate's numbers compared in E.164, so any written form matches.
- Cases: the tickets a customer is Requestor of (TicketSQL), the contacts in the ticket custom field `Contact`.
- Written exactly once: a comment carries the outbox's key in the transaction custom field `Agent desktop key`; a
  ticket made by a write carries it in the ticket custom field `Agent desktop ticket key`. Before writing, a
  TransactionSQL / TicketSQL search for the key (RT searches its database: no index lag) finds a write already made
  (a retry after a lost answer); its text's digest tells a retry from another write that reused the key (422).
  Two sends of one key at the same moment could both miss the other: the outbox sends one key at a time.
- The disposition: the ticket custom field `Disposition`, set by the same comment request; each wrap-up's own is on
  its comment's marker line (records.py).
- Consent: the user custom fields `SMS consent` and `Marketing consent` (yes/no). Knowledge: RT's Articles (class
  `knowledge_class`), searched by name, summary and content; RT ranks nothing, so the desk orders by how many of
  those hold the words. Supervision records: not kept (every comment is read by the ticket's agents).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from agent_desktop.adapters.request_tracker import people, records
from agent_desktop.adapters.wire import written_marker
from agent_desktop.adapters.wire.answer_json import AnswerTooLarge, answer_json, send_bounded, too_large
from agent_desktop.adapters.wire.http_errors import is_html, json_body, not_json, transport_error
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop.domain.errors import BackendError, CustomerExists
from agent_desktop.domain.knowledge.models import Article, ArticleHit, Passage
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

VENDOR = "Request Tracker"
# RT keeps an attachment up to $MaxAttachmentSize (10 MB by default, RT_Config.pm); the desk keeps far less.
RT_LIMITS = CrmLimits(
    max_body_bytes=64_000,
    max_transcript_items=1_000,
    max_item_chars=4_000,
    max_name_chars=120,  # RT::User's RealName is a varchar(120)
    max_notes_chars=20_000,
    max_private_notes=50,
    max_private_note_chars=2_000,
)
RT_CAPABILITIES = CrmCapabilities(
    orders=False,
    billing=False,
    history_transcripts=False,
    supervision=False,
    timeline=False,
    link_with_wrap_up=True,
    knowledge=True,
)
PER_PAGE = 100  # REST 2's most per page
MOST_PAGES = 10
MATCHES_MOST = 300
SEARCH_MOST = 20
HISTORY_TICKETS = 5
USER_FIELDS = "Name,RealName,EmailAddress,Lang,Comments,CustomFields"
TICKET_FIELDS = "Subject,Status,Priority,Created,LastUpdated,Requestor,CustomFields"
WRITTEN_TYPES = ("Create", "Comment", "Correspond")


class RequestTrackerCrm:
    """One long-lived httpx client with RT's `Authorization: token …` header (RT::Authen::Token)."""

    name = "Request Tracker"

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        queue: str = "General",
        knowledge_class: str = "Knowledge base",
        timeout_s: float = 10.0,
        write_timeout_s: float = 30.0,
        phone_region: str = "US",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.limits = RT_LIMITS
        self.capabilities = RT_CAPABILITIES
        self._queue = queue
        self._knowledge_class = knowledge_class
        self._region = phone_region.upper()
        self._write_timeout = httpx.Timeout(write_timeout_s, connect=min(timeout_s, 3.0))
        self._client = httpx.AsyncClient(
            base_url=f"{self.base_url}/REST/2.0",
            headers={"Authorization": f"token {token}", "User-Agent": "agent-desktop", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)),
            transport=transport,
        )

    # --- HTTP -----------------------------------------------------------------------------------------

    async def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            response = await send_bounded(self._client, method, url, **kwargs)
        except AnswerTooLarge:
            raise too_large(self.name, VENDOR) from None
        except httpx.HTTPError as error:
            raise transport_error(self.name, error) from error
        except httpx.InvalidURL as error:
            raise BackendError(self.name, "400 cannot ask RT for that: not a URL", 400) from error
        if not response.is_success:
            raise _error(self.name, response)
        if is_html(response):
            raise not_json(self.name, response)
        return answer_json(self.name, response, VENDOR)

    async def _object(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        answer = await self._request(method, url, **kwargs)
        if not isinstance(answer, dict):
            raise BackendError(self.name, f"502 {VENDOR} answered without the object asked for", 502)
        return answer

    async def _search(self, url: str, most: int, **params: Any) -> list[dict[str, Any]]:
        """A collection's items across pages (`page`, `per_page`: REST 2's paging), at most `most`. Pages are asked
        for by number, not by RT's `next_page` link, which names RT's own configured host."""
        found: list[dict[str, Any]] = []
        for page in range(1, MOST_PAGES + 1):
            answer = await self._object("GET", url, params={**params, "page": page, "per_page": PER_PAGE})
            items = answer.get("items")
            if not isinstance(items, list):
                raise BackendError(self.name, f"502 {VENDOR} answered a search without its items", 502)
            found += [item for item in items if isinstance(item, dict)]
            if len(found) >= most or len(items) < PER_PAGE:
                break
        return found[:most]

    async def _users(self, conditions: list[dict[str, Any]], most: int) -> list[dict[str, Any]]:
        return await self._search("/users", most, query=json.dumps(conditions), fields=USER_FIELDS, orderby="id")

    async def _tickets(self, ticketsql: str, most: int = 100) -> list[dict[str, Any]]:
        return await self._search(
            "/tickets", most, query=ticketsql, fields=TICKET_FIELDS, orderby="LastUpdated", order="DESC"
        )

    async def check_access(self) -> None:
        await self._object("GET", "/rt")

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- customers ------------------------------------------------------------------------------------

    async def _user(self, customer_id: str) -> dict[str, Any]:
        if not customer_id.strip():
            raise BackendError(self.name, "404 no customer ''", 404)
        try:
            return await self._object("GET", api_path("/user/{}", customer_id))
        except BackendError as error:
            if error.status == 404:
                raise BackendError(self.name, f"404 no customer {customer_id[:80]}", 404) from None
            raise

    async def _users_by_phone(self, address: str) -> list[dict[str, Any]]:
        number = people.e164(address, self._region)
        if number is None:
            return []
        like = {"field": f"CustomField.{{{records.PHONE_FIELD}}}", "operator": "LIKE", "value": number[-4:]}
        found = await self._users([like], MATCHES_MOST)
        return [u for u in found if any(people.e164(p, self._region) == number for p in _phones(u))]

    async def _users_by_email(self, address: str) -> list[dict[str, Any]]:
        return await self._users([{"field": "EmailAddress", "value": address.strip()}], MATCHES_MOST)

    async def lookup(self, address: str) -> LookupResult:
        address = address.strip()
        if people.looks_like_email(address):
            matched_on, found = "email", await self._users_by_email(address)
        elif people.e164(address, self._region) is not None:
            matched_on, found = "phone", await self._users_by_phone(address)
        else:
            raise BackendError(
                self.name, f"422 address {address[:80]!r} is neither a phone number nor an email address", 422
            )
        return await self._result(matched_on, found)

    async def _result(self, matched_on: str, found: list[dict[str, Any]]) -> LookupResult:
        if not found:
            return LookupResult()
        customers = [records.customer(user) for user in found]
        record = await self._record(customers[0], matched_on) if len(customers) == 1 else None
        return LookupResult(matched_on=matched_on, customers=customers, record=record)

    async def lookup_account(self, account_number: str) -> LookupResult:
        condition = {"field": f"CustomField.{{{records.ACCOUNT_FIELD}}}", "value": account_number.strip()}
        return await self._result("account", await self._users([condition], MATCHES_MOST))

    async def search_customers(self, query: str) -> list[Customer]:
        query = query.strip()
        if not query:
            return []
        if people.looks_like_email(query):
            found = await self._users_by_email(query)
        elif not any(c.isalpha() for c in query) and people.e164(query, self._region) is not None:
            found = await self._users_by_phone(query)
        else:
            found = await self._users([{"field": "RealName", "operator": "LIKE", "value": query}], SEARCH_MOST)
            if not found:
                account = {"field": f"CustomField.{{{records.ACCOUNT_FIELD}}}", "value": query}
                found = await self._users([account], SEARCH_MOST)
        return [records.customer(user) for user in found][:SEARCH_MOST]

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        return await self._record(records.customer(await self._user(customer_id)), None)

    async def _record(self, customer: Customer, matched_on: str | None) -> CustomerRecord:
        tickets = await self._tickets_of(customer.id)
        return CustomerRecord(
            customer=customer,
            matched_on=matched_on,
            cases=[records.case(ticket) for ticket in tickets],
            interactions=await self._history(tickets[:HISTORY_TICKETS]),
        )

    async def _tickets_of(self, customer_id: str) -> list[dict[str, Any]]:
        return await self._tickets(f"Requestor.Name = {records.ticketsql_string(customer_id)}")

    async def list_interactions(self, customer_id: str) -> list[Interaction]:
        await self._user(customer_id)
        return await self._history((await self._tickets_of(customer_id))[:HISTORY_TICKETS])

    async def _history(self, tickets: list[dict[str, Any]]) -> list[Interaction]:
        """The tickets' created, commented and corresponded texts, newest first: one TransactionSQL search and one
        attachments search, whatever the number of tickets."""
        if not tickets:
            return []
        by_id = {str(ticket["id"]): ticket for ticket in tickets}
        ids = " OR ".join(f"ObjectId = {int(i)}" for i in by_id)
        types = " OR ".join(f"Type = '{kind}'" for kind in WRITTEN_TYPES)
        transactions = await self._search(
            "/transactions",
            500,
            query=f"ObjectType = 'RT::Ticket' AND ({ids}) AND ({types})",
            fields="Type,Created,ObjectId",
        )
        bodies = await self._bodies([str(t["id"]) for t in transactions])
        items = [
            records.interaction(by_id[str(t.get("ObjectId"))], str(t["id"]), bodies[str(t["id"])], str(t["Created"]))
            for t in transactions
            if str(t.get("ObjectId")) in by_id and str(t["id"]) in bodies
        ]
        return sorted(items, key=lambda item: (item.created_at, item.id), reverse=True)

    async def _bodies(self, transaction_ids: list[str]) -> dict[str, str]:
        """Each transaction's plain-text content (its first text/plain attachment), by transaction id."""
        if not transaction_ids:
            return {}
        conditions = [{"field": "TransactionId", "value": int(i)} for i in transaction_ids]
        found = await self._search(
            "/attachments", 1000, query=json.dumps(conditions), fields="TransactionId,ContentType,Content"
        )
        bodies: dict[str, str] = {}
        for attachment in sorted(found, key=lambda a: int(str(a.get("id") or 0))):
            transaction = str(attachment.get("TransactionId"))
            if attachment.get("ContentType") == "text/plain" and transaction not in bodies:
                content = attachment.get("Content")
                bodies[transaction] = content if isinstance(content, str) else ""
        return bodies

    async def interaction(self, interaction_id: str) -> Interaction:
        ticket_id, _, transaction_id = interaction_id.partition(":")
        if not (ticket_id.isdigit() and transaction_id.isdigit()):
            raise BackendError(self.name, f"404 no interaction {interaction_id[:80]}", 404)
        ticket = await self._object("GET", api_path("/ticket/{}", ticket_id), params={"fields": TICKET_FIELDS})
        transaction = await self._object("GET", api_path("/transaction/{}", transaction_id))
        bodies = await self._bodies([transaction_id])
        if str((transaction.get("Object") or {}).get("id")) != ticket_id or transaction_id not in bodies:
            raise BackendError(self.name, f"404 no interaction {interaction_id[:80]}", 404)
        return records.interaction(ticket, transaction_id, bodies[transaction_id], str(transaction["Created"]))

    async def create_customer(self, customer: NewCustomer, idempotency_key: str | None = None) -> Customer:
        """A user named by the key (a retry reads the user it made, by name) or, without a key, by a fresh name; the
        phones in E.164. An email that is another user's: RT refuses it ("Email address in use"), said as
        CustomerExists with that user."""
        name = people.user_name(idempotency_key)
        if idempotency_key is not None:
            made = await self._user_or_none(name)
            if made is not None:
                return records.customer(made)
        phones = [people.e164(p, self._region) or p for p in customer.phones]
        user: dict[str, Any] = {"Name": name, "RealName": customer.name, "CustomFields": {records.PHONE_FIELD: phones}}
        if customer.emails:
            user["EmailAddress"] = customer.emails[0]
        if customer.language:
            user["Lang"] = customer.language
        try:
            await self._object("POST", "/user", json=user, timeout=self._write_timeout)
        except BackendError as error:
            if error.status != 400:
                raise
            raced = await self._user_or_none(name) if idempotency_key is not None else None
            if raced is not None:  # another send of this key made it a moment ago
                return records.customer(raced)
            raise await self._taken(error, customer) from error
        return records.customer(await self._user(name))

    async def _user_or_none(self, name: str) -> dict[str, Any] | None:
        try:
            return await self._user(name)
        except BackendError as error:
            if error.status == 404:
                return None
            raise

    async def _taken(self, error: BackendError, customer: NewCustomer) -> BackendError:
        if not customer.emails or "email address in use" not in error.message.lower():
            return error
        email = customer.emails[0]
        found = [records.customer(u) for u in await self._users_by_email(email)]
        names = ", ".join(c.name for c in found[:3]) or "another customer"
        return CustomerExists(self.name, f"422 {email} is already {names}'s email in RT: pick them instead", found)

    # --- writes exactly once ------------------------------------------------------------------------------

    async def _written_with(self, key: str) -> tuple[dict[str, Any], str, str, str] | None:
        """The write already made with `key`: (ticket, transaction id, text, created), or None."""
        quoted = records.ticketsql_string(key)
        comments = await self._search(
            "/transactions",
            2,
            query=f"ObjectType = 'RT::Ticket' AND CF.{{{records.KEY_FIELD}}} = {quoted}",
            fields="Created,ObjectId",
        )
        if comments:
            found = comments[0]
            ticket_id = str(found.get("ObjectId"))
        else:
            tickets = await self._tickets(f"CF.{{{records.TICKET_KEY_FIELD}}} = {quoted}", 2)
            if not tickets:
                return None
            ticket_id = str(tickets[0]["id"])
            made = await self._search(
                "/transactions",
                1,
                query=f"ObjectType = 'RT::Ticket' AND ObjectId = {int(ticket_id)} AND Type = 'Create'",
                fields="Created,ObjectId",
            )
            if not made:
                return None
            found = made[0]
        ticket = await self._object("GET", api_path("/ticket/{}", ticket_id), params={"fields": TICKET_FIELDS})
        transaction_id = str(found["id"])
        body = (await self._bodies([transaction_id])).get(transaction_id, "")
        return ticket, transaction_id, body, str(found["Created"])

    async def _once(self, key: str, body: str) -> tuple[dict[str, Any], str, str, str] | None:
        """The write made with `key` already, checked to be this write (same digest), or None."""
        written = await self._written_with(key)
        if written is None:
            return None
        digest = written_marker.marker_of(body).get("digest")
        if written_marker.marker_of(written[2]).get("digest") not in (None, digest):
            raise BackendError(
                self.name, f"422 Idempotency-Key {key!r} was already used with a different body or endpoint", 422
            )
        return written

    async def _ticket_for(self, customer_id: str | None, contact_id: str | None, case_id: str | None) -> Any:
        """The customer's active ticket about this contact, else the active case linked during the contact."""
        if customer_id is None:
            return None, False
        tickets = await self._tickets(
            f"Requestor.Name = {records.ticketsql_string(customer_id)} AND Status = '__Active__'"
        )
        for ticket in tickets:
            if contact_id is not None and contact_id in records.field_values(ticket, records.CONTACT_FIELD):
                return ticket, False
        for ticket in tickets:
            if case_id is not None and str(ticket["id"]) == case_id:
                return ticket, True
        return None, False

    async def _comment(self, ticket: dict[str, Any], body: str, key: str, fields: dict[str, Any]) -> None:
        change = {
            "Content": body,
            "ContentType": "text/plain",
            "TxnCustomFields": {records.KEY_FIELD: key},
            "CustomFields": fields,
        }
        url = api_path("/ticket/{}/comment", str(ticket["id"]))
        await self._request("POST", url, json=change, timeout=self._write_timeout)

    async def _new_ticket(
        self, subject: str, body: str, key: str, requestor: dict[str, Any] | None, fields: dict[str, Any], **more: Any
    ) -> None:
        ticket: dict[str, Any] = {
            "Queue": self._queue,
            "Subject": subject[:200],
            "Content": body,
            "ContentType": "text/plain",
            "CustomFields": {**fields, records.TICKET_KEY_FIELD: key},
            **more,
        }
        if requestor is not None:
            ticket["Requestor"] = requestor.get("EmailAddress") or requestor["Name"]
        await self._object("POST", "/ticket", json=ticket, timeout=self._write_timeout)

    async def _write(
        self,
        key: str,
        body: str,
        customer_id: str | None,
        contact_id: str | None,
        case_id: str | None,
        subject: str,
        fields: dict[str, Any],
    ) -> tuple[dict[str, Any], str, str, str]:
        if len(body.encode()) > self.limits.max_body_bytes:
            size = len(body.encode())
            raise BackendError(
                self.name, f"413 not sent: {size:,} bytes, over this desk's {self.limits.max_body_bytes:,} for RT", 413
            )
        written = await self._once(key, body)
        if written is not None:
            return written
        requestor = await self._user(customer_id) if customer_id is not None else None
        ticket, linked = await self._ticket_for(customer_id, contact_id, case_id)
        if ticket is not None:
            if linked and contact_id is not None:  # the case linked during the contact: the contact joins it
                joined = records.field_values(ticket, records.CONTACT_FIELD)
                fields = {**fields, records.CONTACT_FIELD: [*joined, contact_id]}
            await self._comment(ticket, body, key, fields)
        else:
            about = {records.CONTACT_FIELD: [contact_id]} if contact_id else {}
            await self._new_ticket(subject, body, key, requestor, {**fields, **about})
        written = await self._written_with(key)
        if written is None:  # written, yet not found by its key: RT did not keep the key's custom field
            raise BackendError(
                self.name, f"502 {VENDOR} did not keep the write's key {key!r}: is the field there?", 502
            )
        return written

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        body = written_marker.with_marker(
            written_marker.interaction_text(interaction),
            written_marker.interaction_fields(interaction, idempotency_key),
        )
        summary = interaction.summary or interaction.disposition
        subject = f"{interaction.channel.value.capitalize()} {interaction.direction}: {summary}"
        ticket, transaction_id, text, created = await self._write(
            idempotency_key,
            body,
            interaction.customer_id,
            interaction.contact_id,
            interaction.case_id,
            subject,
            {records.DISPOSITION_FIELD: interaction.disposition},
        )
        return records.interaction(ticket, transaction_id, text, created)

    async def add_note(self, customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note:
        body = written_marker.with_marker(text, {"key": idempotency_key, "contact_id": contact_id, "note": True})
        subject = f"Note: {text.splitlines()[0] if text else ''}"
        ticket, transaction_id, _, created = await self._write(
            idempotency_key, body, customer_id, contact_id, None, subject, {}
        )
        return Note(
            id=f"{ticket['id']}:{transaction_id}",
            customer_id=customer_id,
            contact_id=contact_id,
            text=text,
            created_at=created,
        )

    async def create_case(self, case: CaseCreate, idempotency_key: str) -> Case:
        quoted = records.ticketsql_string(idempotency_key)
        made = await self._tickets(f"CF.{{{records.TICKET_KEY_FIELD}}} = {quoted}", 2)
        if made:
            return records.case(made[0])
        requestor = await self._user(case.customer_id)
        body = written_marker.with_marker(
            f"Case opened: {case.subject}", {"key": idempotency_key, "contact_id": case.contact_id}
        )
        contacts = {records.CONTACT_FIELD: [case.contact_id]} if case.contact_id else {}
        priority = records.PRIORITY_NUMBER.get(case.priority, records.PRIORITY_NUMBER["normal"])
        await self._new_ticket(case.subject, body, idempotency_key, requestor, contacts, Priority=priority)
        made = await self._tickets(f"CF.{{{records.TICKET_KEY_FIELD}}} = {quoted}", 2)
        if not made:
            raise BackendError(self.name, f"502 {VENDOR} did not keep the case's key {idempotency_key!r}", 502)
        return records.case(made[0])

    async def link_case(self, case_id: str, contact_id: str, idempotency_key: str) -> Case:
        """The contact added to the ticket's `Contact` values (a set: adding it twice leaves one). REST 2 replaces a
        multi-value field with the list it is sent, so the list read is sent back with the contact added."""
        if not case_id.isdigit():
            raise BackendError(self.name, f"404 no case {case_id[:80]}", 404)
        url = api_path("/ticket/{}", case_id)
        ticket = await self._object("GET", url, params={"fields": TICKET_FIELDS})
        contacts = records.field_values(ticket, records.CONTACT_FIELD)
        if contact_id not in contacts:
            change = {"CustomFields": {records.CONTACT_FIELD: [*contacts, contact_id]}}
            await self._request("PUT", url, json=change, timeout=self._write_timeout)
            ticket = await self._object("GET", url, params={"fields": TICKET_FIELDS})
        return records.case(ticket)

    async def record_supervision(self, record: SupervisionRecord, idempotency_key: str) -> Supervision:
        """Not kept: a ticket's comments are read by every agent who works it, and an unannounced monitor must never
        be (capability `supervision` off)."""
        raise BackendError(self.name, "400 RT keeps no supervision records (capability supervision is off)", 400)

    # --- consent --------------------------------------------------------------------------------------

    async def record_opt_out(self, customer_id: str, consent: str) -> Customer:
        """The consent's user custom field set to `no` (setting it twice leaves `no`: no key is needed)."""
        field = {"consent_sms": records.SMS_CONSENT_FIELD, "consent_marketing": records.MARKETING_CONSENT_FIELD}.get(
            consent
        )
        if field is None:
            raise BackendError(self.name, f"400 RT keeps no {consent} here: no user custom field for it", 400)
        url = api_path("/user/{}", (await self._user(customer_id))["Name"])
        await self._request("PUT", url, json={"CustomFields": {field: "no"}}, timeout=self._write_timeout)
        kept = records.customer(await self._user(customer_id))
        if getattr(kept, consent) is not False:
            raise BackendError(self.name, f"422 RT did not keep {field!r}: does the user custom field exist?", 422)
        return kept

    async def withdraw_consent(self, customer_id: str, channel: Channel, reason: str, idempotency_key: str) -> Customer:
        return await self.record_opt_out(customer_id, "consent_sms" if channel == Channel.SMS else "consent_marketing")

    # --- knowledge: RT's Articles ---------------------------------------------------------------------

    async def search_articles(self, query: str, limit: int = 10, queue: str | None = None) -> list[ArticleHit]:
        """Articles of the knowledge class whose name, summary or content holds the words; RT ranks nothing, so the
        score is how many of the words the article holds. `queue`: RT keeps none on an article (not filtered)."""
        words = [w for w in query.split() if any(c.isalnum() for c in w)][:5]
        if not words:
            raise BackendError(self.name, "422 the query has no word to search for", 422)
        found: dict[str, dict[str, Any]] = {}
        for word in words:
            for field in ("Name", "Summary", "CustomField.{Content}"):
                for article in await self._search(
                    "/articles",
                    SEARCH_LIMIT_MOST,
                    query=json.dumps([{"field": field, "operator": "LIKE", "value": word}]),
                    fields="Name,Summary,Class,CustomFields",
                ):
                    found[str(article["id"])] = article
        hits = [_hit(self.base_url, article, words) for article in found.values()]
        return sorted(hits, key=lambda hit: (-hit.score, hit.title))[: max(1, min(limit, SEARCH_LIMIT_MOST))]

    async def article(self, article_id: str) -> Article:
        if not article_id.isdigit():
            raise BackendError(self.name, f"404 no article {article_id[:40]}", 404)
        found = await self._object("GET", api_path("/article/{}", article_id))
        content = records.field_values(found, "Content")
        return Article(
            id=article_id,
            title=str(found.get("Name") or ""),
            body="\n\n".join(content),
            url=f"{self.base_url}/Articles/Article/Display.html?id={article_id}",
            section=str(found.get("Summary") or "") or None,
        )


def _phones(user: dict[str, Any]) -> list[str]:
    return records.field_values(user, records.PHONE_FIELD)


def _hit(base_url: str, article: dict[str, Any], words: list[str]) -> ArticleHit:
    content = " ".join(records.field_values(article, "Content"))
    text = " ".join([str(article.get("Name") or ""), str(article.get("Summary") or ""), content]).lower()
    snippet = content[:300]
    lowered = snippet.lower()
    matches = []
    for word in words:
        at = lowered.find(word.lower())
        if at >= 0:
            matches.append((at, at + len(word)))
    ordered: list[tuple[int, int]] = []
    for start, end in sorted(matches):
        if not ordered or start >= ordered[-1][1]:
            ordered.append((start, end))
    return ArticleHit(
        id=str(article["id"]),
        title=str(article.get("Name") or ""),
        snippet=Passage(text=snippet, matches=tuple(ordered)),
        url=f"{base_url}/Articles/Article/Display.html?id={article['id']}",
        score=float(sum(word.lower() in text for word in words)),
        section=str(article.get("Summary") or "") or None,
    )


def _error(backend: str, response: httpx.Response) -> BackendError:
    """RT's `{"message": …}` (REST 2's ErrorAsJSON) in a line an agent can read, with the status."""
    body = json_body(response)
    message = body.get("message") if isinstance(body, dict) else None
    text = str(message) if message else response.reason_phrase
    return BackendError(backend, f"{response.status_code} {text}", response.status_code)
