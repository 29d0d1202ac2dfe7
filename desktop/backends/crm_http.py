"""The CRM over HTTP (the mock CRM's API, docs/mock-apis.md)."""

from __future__ import annotations

from pydantic import TypeAdapter

from desktop.backends.http_client import HttpBackend
from desktop.backends.models import Customer, CustomerRecord, Interaction, InteractionCreate, LookupResult

_interactions = TypeAdapter(list[Interaction])


class HttpCrm(HttpBackend):
    name = "CRM"

    async def lookup(self, address: str) -> LookupResult:
        data = await self._get_json("/v1/customers/lookup", params={"address": address})
        return LookupResult.model_validate(data)

    async def customer_record(self, customer_id: str) -> CustomerRecord:
        return CustomerRecord.model_validate(await self._get_json(f"/v1/customers/{customer_id}/record"))

    async def create_customer(self, name: str, phones: list[str], emails: list[str]) -> Customer:
        response = await self._request("POST", "/v1/customers", json={"name": name, "phones": phones, "emails": emails})
        return Customer.model_validate(response.json())

    async def list_interactions(self, customer_id: str) -> list[Interaction]:
        return _interactions.validate_python(await self._get_json(f"/v1/customers/{customer_id}/interactions"))

    async def log_interaction(self, interaction: InteractionCreate, idempotency_key: str) -> Interaction:
        response = await self._request(
            "POST",
            "/v1/interactions",
            content=interaction.model_dump_json(),
            headers={"Idempotency-Key": idempotency_key, "Content-Type": "application/json"},
        )
        return Interaction.model_validate(response.json())
