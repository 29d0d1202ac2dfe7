"""`Crm` over the mock CRM's store, in-process: the CRM's own route functions, minus HTTP.

Lookup (any written phone form, email, account), the screen-pop record, idempotent writes that replay
their first answer, 404 and 409 refusals: all the routes' code (agent_desktop_mocks/crm/routers/). Faults set
on the CRM's `FaultState` (its admin route) apply here too, through its own `FaultInjector`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any, TypeVar

from fastapi import FastAPI
from starlette.types import Message

from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop.domain.customers.timeline import TimelinePage
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.knowledge.models import Article, ArticleHit
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
from agent_desktop.domain.quality.forms import EvaluationRecord, EvaluationRecordWritten
from agent_desktop.domain.vocabulary import Channel
from agent_desktop_mocks.crm import access as crm_access
from agent_desktop_mocks.crm import schemas
from agent_desktop_mocks.crm.faults import FaultInjector
from agent_desktop_mocks.crm.limits import LIMITS
from agent_desktop_mocks.crm.routers import (
    cases,
    consent,
    customers,
    evaluations,
    interactions,
    knowledge,
    supervision,
    timeline,
)
from agent_desktop_mocks.crm.routers.customers import SEARCH_LIMIT, LookupQuery
from tests.support.in_process.refusals import guard_body, refusals_as_backend_errors
from tests.support.in_process.wire import to_desktop, to_mock

T = TypeVar("T")


class InProcessCrm:
    name = "CRM"

    def __init__(self, app: FastAPI, capabilities: CrmCapabilities | None = None) -> None:
        """`app`: a mock CRM from `create_app` (never served). `capabilities`: everything the mock holds, or
        less, to show the desk on a CRM without (say) orders."""
        self.capabilities = capabilities or CrmCapabilities()
        self._crm = app.state.crm
        # Whose token the routes see: a supervisor's, which may do all a desk's may and write supervision records.
        self._who = crm_access.SUPERVISOR
        self._request: Any = SimpleNamespace(app=app)  # all the lookup route reads of its request
        # The limits `GET /v1/limits` serves, read as the desktop's (the HTTP client ships the same numbers).
        self.limits = CrmLimits(**LIMITS.model_dump())

    async def _call(self, method: str, path: str, desktop_type: type[T], route: Callable[[], Awaitable[Any]]) -> T:
        """Run a route as the server would: past the fault injector, refusals as the HTTP client reports them."""
        answered: list[Any] = []
        failed: list[int] = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            answered.append(await route())

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                failed.append(message["status"])

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        with refusals_as_backend_errors(self.name):
            await FaultInjector(app, self._crm.faults)({"type": "http", "method": method, "path": path}, receive, send)
        if failed:
            raise BackendError(self.name, f"{failed[0]} injected fault: {failed[0]}", failed[0])
        return to_desktop(desktop_type, answered[0])

    def _body(self, mock_type: type[T], document: Any) -> T:
        guard_body(self.name, document)
        with refusals_as_backend_errors(self.name):
            return to_mock(mock_type, document)

    # --- reads -----------------------------------------------------------------------------

    async def check_access(self) -> None:
        await self.lookup_account("access-check")

    async def lookup(self, address: str) -> LookupResult:
        query = self._body(LookupQuery, {"address": address, "record": True})
        return await self._call(
            "GET", "/v1/customers/lookup", LookupResult, lambda: customers.lookup(self._request, query)
        )

    async def lookup_account(self, account_number: str) -> LookupResult:
        query = self._body(LookupQuery, {"account": account_number, "record": True})
        return await self._call(
            "GET", "/v1/customers/lookup", LookupResult, lambda: customers.lookup(self._request, query)
        )

    async def search_customers(self, query: str) -> list[Customer]:
        found = lambda: customers.search(self._crm, query, None, SEARCH_LIMIT)  # noqa: E731
        return await self._call("GET", "/v1/customers/search", list[Customer], found)

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        path = f"/v1/customers/{customer_id}/record"
        return await self._call("GET", path, CustomerRecord, lambda: customers.get_record(self._crm, customer_id))

    async def list_interactions(self, customer_id: str) -> list[Interaction]:
        path = f"/v1/customers/{customer_id}/interactions"
        found = lambda: customers.list_interactions(self._crm, customer_id)  # noqa: E731
        return await self._call("GET", path, list[Interaction], found)

    async def customer_timeline(self, customer_id: str, before: str | None = None, limit: int = 50) -> TimelinePage:
        path = f"/v1/customers/{customer_id}/timeline"
        found = lambda: timeline.get_timeline(self._crm, customer_id, self._who, before, limit)  # noqa: E731
        return await self._call("GET", path, TimelinePage, found)

    async def interaction(self, interaction_id: str) -> Interaction:
        path = f"/v1/interactions/{interaction_id}"
        return await self._call(
            "GET", path, Interaction, lambda: interactions.get_interaction(self._crm, interaction_id, self._who)
        )

    async def search_articles(self, query: str, limit: int = 10, queue: str | None = None) -> list[ArticleHit]:
        async def found() -> Any:
            return (await knowledge.search(self._crm, query, limit, queue)).hits

        return await self._call("GET", "/v1/knowledge/search", list[ArticleHit], found)

    async def article(self, article_id: str) -> Article:
        path = f"/v1/knowledge/articles/{article_id}"
        return await self._call("GET", path, Article, lambda: knowledge.get_article(self._crm, article_id))

    # --- writes (each safe to retry with its key) ----------------------------------------------

    async def create_customer(self, customer: NewCustomer, idempotency_key: str | None = None) -> Customer:
        body = self._body(schemas.CustomerCreate, customer.model_dump(mode="json"))
        created = lambda: customers.create_customer(self._crm, body, idempotency_key)  # noqa: E731
        return await self._call("POST", "/v1/customers", Customer, created)

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        size = len(interaction.model_dump_json().encode())
        if size > self.limits.max_body_bytes:  # as the HTTP client refuses it before sending
            raise BackendError(
                self.name, f"413 not sent: {size:,} bytes, over the CRM's {self.limits.max_body_bytes:,}", 413
            )
        body = self._body(schemas.InteractionCreate, interaction.model_dump(mode="json"))
        written = lambda: interactions.create_interaction(self._crm, body, idempotency_key)  # noqa: E731
        return await self._call("POST", "/v1/interactions", Interaction, written)

    async def record_evaluation(self, record: EvaluationRecord, idempotency_key: str) -> EvaluationRecordWritten:
        body = self._body(schemas.EvaluationRecordCreate, record.model_dump(mode="json"))
        recorded = lambda: evaluations.record_evaluation(self._crm, body, idempotency_key, self._who)  # noqa: E731
        return await self._call("POST", "/v1/evaluations", EvaluationRecordWritten, recorded)

    async def record_supervision(self, record: SupervisionRecord, idempotency_key: str) -> Supervision:
        body = self._body(schemas.SupervisionCreate, record.model_dump(mode="json"))
        recorded = lambda: supervision.record_supervision(self._crm, body, idempotency_key, self._who)  # noqa: E731
        return await self._call("POST", "/v1/supervision", Supervision, recorded)

    async def add_note(self, customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note:
        body = self._body(schemas.NoteCreate, {"text": text, "contact_id": contact_id})
        added = lambda: customers.add_note(self._crm, customer_id, body, idempotency_key)  # noqa: E731
        return await self._call("POST", f"/v1/customers/{customer_id}/notes", Note, added)

    async def withdraw_consent(self, customer_id: str, channel: Channel, reason: str, idempotency_key: str) -> Customer:
        body = self._body(consent.ConsentWithdrawal, {"channel": channel.value, "reason": reason[:500]})
        withdrawn = lambda: consent.withdraw_consent(self._crm, customer_id, body, idempotency_key)  # noqa: E731
        return await self._call("POST", f"/v1/customers/{customer_id}/consent-withdrawals", Customer, withdrawn)

    async def create_case(self, case: CaseCreate, idempotency_key: str) -> Case:
        body = self._body(schemas.CaseCreate, case.model_dump(mode="json"))
        return await self._call("POST", "/v1/cases", Case, lambda: cases.create_case(self._crm, body, idempotency_key))

    async def link_case(self, case_id: str, contact_id: str, idempotency_key: str) -> Case:
        body = self._body(schemas.CaseLink, {"contact_id": contact_id})
        linked = lambda: cases.link_contact(self._crm, case_id, body, idempotency_key)  # noqa: E731
        return await self._call("POST", f"/v1/cases/{case_id}/contacts", Case, linked)

    async def aclose(self) -> None:
        """Nothing to close: the CRM's state belongs to whoever built it (InProcessMocks)."""
