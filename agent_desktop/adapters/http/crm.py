"""The CRM over HTTP (the mock CRM's API, docs/mock-apis.md)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import TypeAdapter

from agent_desktop.adapters.http.client import HttpBackend
from agent_desktop.adapters.wire.header_values import header_value
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS, CrmLimits
from agent_desktop.domain.customers.timeline import TimelinePage
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Case,
    CaseCreate,
    Customer,
    CustomerRecord,
    EvaluationRecord,
    Interaction,
    InteractionCreate,
    LookupResult,
    NewCustomer,
    Note,
    Supervision,
    SupervisionRecord,
    deferred_adapter,
)
from agent_desktop.domain.vocabulary import Channel

_interactions = deferred_adapter(list[Interaction])
_customers = deferred_adapter(list[Customer])


def _key(idempotency_key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": header_value(idempotency_key)} if idempotency_key else {}


if TYPE_CHECKING:
    from agent_desktop.domain.knowledge.models import Article, ArticleHit
    from agent_desktop.domain.quality.forms import EvaluationRecordWritten


class HttpCrm(HttpBackend):
    """Reads use the client's timeout (a screen pop must not hang); writes, sent from the outbox in the
    background, may wait `write_timeout_s` for a slow CRM rather than give up and send again."""

    name = "CRM"

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 5.0,
        write_timeout_s: float = 30.0,
        limits: CrmLimits = MOCK_CRM_LIMITS,
        capabilities: CrmCapabilities | None = None,
        rate_limit_wait_s: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`rate_limit_wait_s`: a 429 asking to wait at most this long is waited out once (agent_desktop/domain/
        http_client.py); a longer one fails the call, retryable (the outbox sends it later)."""
        super().__init__(base_url, token, timeout_s=timeout_s, transport=transport)
        self.rate_limit_wait_s = rate_limit_wait_s
        self.limits = limits
        self.capabilities = capabilities or CrmCapabilities()  # the mock CRM holds everything
        self._write_timeout = httpx.Timeout(write_timeout_s, connect=min(timeout_s, 3.0))

    async def _post(self, path: str, body: object, idempotency_key: str | None) -> httpx.Response:
        return await self._request("POST", path, json=body, headers=_key(idempotency_key), timeout=self._write_timeout)

    async def check_access(self) -> None:
        await self._get_json("/v1/customers/lookup", params={"account": "access-check"})

    async def lookup(self, address: str) -> LookupResult:
        data = await self._get_json("/v1/customers/lookup", params={"address": address, "record": "true"})
        return self._as(LookupResult, data)

    async def lookup_account(self, account_number: str) -> LookupResult:
        data = await self._get_json("/v1/customers/lookup", params={"account": account_number, "record": "true"})
        return self._as(LookupResult, data)

    async def search_customers(self, query: str) -> list[Customer]:
        return self._as(_customers, await self._get_json("/v1/customers/search", params={"q": query}))

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        return self._as(CustomerRecord, await self._get_json(api_path("/v1/customers/{}/record", customer_id)))

    async def create_customer(self, customer: NewCustomer, idempotency_key: str | None = None) -> Customer:
        response = await self._post("/v1/customers", customer.model_dump(mode="json"), idempotency_key)
        return self._model(Customer, response)

    async def list_interactions(self, customer_id: str) -> list[Interaction]:
        return self._as(_interactions, await self._get_json(api_path("/v1/customers/{}/interactions", customer_id)))

    async def customer_timeline(self, customer_id: str, before: str | None = None, limit: int = 50) -> TimelinePage:
        params: dict[str, str | int] = {"limit": limit} | ({"before": before} if before is not None else {})
        data = await self._get_json(api_path("/v1/customers/{}/timeline", customer_id), params=params)
        return self._as(TimelinePage, data)

    async def interaction(self, interaction_id: str) -> Interaction:
        return self._as(Interaction, await self._get_json(api_path("/v1/interactions/{}", interaction_id)))

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        body = interaction.model_dump_json().encode()
        if len(body) > self.limits.max_body_bytes:
            # Refused here, as the CRM would: sent, it could end in a reset connection, which reads as an outage.
            raise BackendError(
                self.name, f"413 not sent: {len(body):,} bytes, over the CRM's {self.limits.max_body_bytes:,}", 413
            )
        response = await self._request(
            "POST",
            "/v1/interactions",
            content=body,
            headers={**_key(idempotency_key), "Content-Type": "application/json"},
            timeout=self._write_timeout,
        )
        return self._model(Interaction, response)

    async def add_note(self, customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note:
        body = {"text": text, "contact_id": contact_id}
        response = await self._post(api_path("/v1/customers/{}/notes", customer_id), body, idempotency_key)
        return self._model(Note, response)

    async def withdraw_consent(self, customer_id: str, channel: Channel, reason: str, idempotency_key: str) -> Customer:
        body = {"channel": channel.value, "reason": reason[:500]}
        response = await self._post(
            api_path("/v1/customers/{}/consent-withdrawals", customer_id), body, idempotency_key
        )
        return self._model(Customer, response)

    async def record_evaluation(self, record: EvaluationRecord, idempotency_key: str) -> EvaluationRecordWritten:
        from agent_desktop.domain.quality.forms import EvaluationRecordWritten  # the supervisor's desk's only

        response = await self._post("/v1/evaluations", record.model_dump(mode="json"), idempotency_key)
        return self._model(EvaluationRecordWritten, response)

    async def record_supervision(self, record: SupervisionRecord, idempotency_key: str) -> Supervision:
        response = await self._post("/v1/supervision", record.model_dump(mode="json"), idempotency_key)
        return self._model(Supervision, response)

    async def create_case(self, case: CaseCreate, idempotency_key: str) -> Case:
        response = await self._post("/v1/cases", case.model_dump(mode="json"), idempotency_key)
        return self._model(Case, response)

    async def link_case(self, case_id: str, contact_id: str, idempotency_key: str) -> Case:
        response = await self._post(
            api_path("/v1/cases/{}/contacts", case_id), {"contact_id": contact_id}, idempotency_key
        )
        return self._model(Case, response)

    async def search_articles(self, query: str, limit: int = 10, queue: str | None = None) -> list[ArticleHit]:
        """The knowledge base's search (`GET /v1/knowledge/search`): the words go as typed, the CRM quotes them."""
        from agent_desktop.domain.knowledge.protocol import SEARCH_LIMIT_MOST  # read at the first search, not at start

        params: dict[str, str | int] = {"q": query, "limit": max(1, min(limit, SEARCH_LIMIT_MOST))}
        if queue is not None:
            params["queue"] = queue
        answer = await self._get_json("/v1/knowledge/search", params=params)
        hits = answer.get("hits") if isinstance(answer, dict) else None
        return self._as(_article_hits(), hits)

    async def article(self, article_id: str) -> Article:
        from agent_desktop.domain.knowledge.models import Article

        return self._as(Article, await self._get_json(api_path("/v1/knowledge/articles/{}", article_id)))


@cache
def _article_hits() -> TypeAdapter[Any]:
    from agent_desktop.domain.knowledge.models import ArticleHit

    return deferred_adapter(list[ArticleHit])
