"""The mock CRM over real HTTP: caller lookup, the screen-pop record and idempotent write-back.

One server for the module (`shared_crm_url`): the tests read, and each writes under its own customer or
idempotency key (the one created customer is the only one created here)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.demo_people import Caller, callers, unknown_caller_phone

CASE_RANK = {"open": 0, "pending": 1, "closed": 2}


@pytest.fixture
def crm(shared_crm_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=shared_crm_url, headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, timeout=10
    ) as client:
        yield client


@pytest.fixture
def caller(shared_mock_settings: MockSettings) -> Caller:
    return callers(shared_mock_settings.seed, shared_mock_settings.customers)[4]


def _written(e164: str) -> dict[str, str]:
    area, exchange, line = e164[2:5], e164[5:8], e164[8:]
    return {
        "e164": e164,
        "parentheses": f"({area}) {exchange}-{line}",
        "spaced": f"+1 {area} {exchange} {line}",
        "national": f"{area}.{exchange}.{line}",
    }


def _interaction(customer_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "customer_id": customer_id,
        "contact_id": "c-000042",
        "channel": "voice",
        "direction": "inbound",
        "agent_id": "agent-001",
        "queue_id": "billing",
        "offered_at": "2030-01-01T10:00:00Z",
        "answered_at": "2030-01-01T10:00:12Z",
        "ended_at": "2030-01-01T10:06:40Z",
        "disposition": "Resolved",
        "notes": "Explained the late fee and waived it once.",
    }
    return body | changes


def test_health_and_openapi_need_no_token(shared_crm_url: str) -> None:
    assert httpx.get(f"{shared_crm_url}/healthz").json() == {"status": "ok"}
    spec = httpx.get(f"{shared_crm_url}/openapi.json").json()
    assert "/v1/customers/lookup" in spec["paths"]
    assert "/v1/interactions" in spec["paths"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_v1_without_a_valid_token_is_401(shared_crm_url: str, headers: dict[str, str]) -> None:
    response = httpx.get(f"{shared_crm_url}/v1/customers/cus-000001", headers=headers)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_caller_is_found_however_their_number_is_written(crm: httpx.Client, caller: Caller) -> None:
    for form, written in _written(caller.phone_e164).items():
        result = crm.get("/v1/customers/lookup", params={"address": written}).json()
        assert result["matched_on"] == "phone", form
        assert [c["id"] for c in result["customers"]] == [f"cus-{caller.index + 1:06d}"], form
        assert result["customers"][0]["name"] == caller.name
        assert caller.phone_e164 in result["customers"][0]["phones"]
    by_phone = crm.get("/v1/customers/lookup", params={"phone": _written(caller.phone_e164)["parentheses"]}).json()
    assert by_phone["matched_on"] == "phone"
    assert by_phone["customers"][0]["name"] == caller.name


def test_email_lookup_ignores_case(crm: httpx.Client, caller: Caller) -> None:
    for params in ({"address": caller.email.upper()}, {"email": caller.email.title()}):
        result = crm.get("/v1/customers/lookup", params=params).json()
        assert result["matched_on"] == "email"
        assert [c["name"] for c in result["customers"]] == [caller.name]


def test_account_lookup(crm: httpx.Client, caller: Caller) -> None:
    customer = crm.get(f"/v1/customers/cus-{caller.index + 1:06d}").json()
    assert customer["account_number"].startswith("ACC-")
    result = crm.get("/v1/customers/lookup", params={"account": customer["account_number"].lower()}).json()
    assert result == {"matched_on": "account", "customers": [customer], "record": None}
    with_record = crm.get(
        "/v1/customers/lookup", params={"account": customer["account_number"], "record": "true"}
    ).json()
    assert with_record["record"]["customer"] == customer
    assert with_record["record"]["matched_on"] == "account"
    assert with_record["record"] | {"matched_on": None} == crm.get(f"/v1/customers/{customer['id']}/record").json()


def test_an_unknown_number_is_a_new_caller(crm: httpx.Client) -> None:
    number = unknown_caller_phone(random.Random(3))
    assert crm.get("/v1/customers/lookup", params={"address": number, "record": "true"}).json() == {
        "matched_on": None,
        "customers": [],
        "record": None,
    }
    assert crm.get("/v1/customers/lookup", params={"email": "nobody@example.org"}).json()["customers"] == []


@pytest.mark.parametrize("params", [{"address": "not a number"}, {"address": "12"}, {"phone": "call me"}, {}])
def test_unreadable_lookups_are_422(crm: httpx.Client, params: dict[str, str]) -> None:
    response = crm.get("/v1/customers/lookup", params=params)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_record_has_history_newest_first_and_open_cases_first(
    crm: httpx.Client, shared_mock_settings: MockSettings
) -> None:
    checked = 0
    for number in range(1, shared_mock_settings.customers + 1):
        record = crm.get(f"/v1/customers/cus-{number:06d}/record").json()
        assert record["matched_on"] is None
        assert record["customer"]["id"] == f"cus-{number:06d}"
        times = [i["created_at"] for i in record["interactions"]]
        assert times == sorted(times, reverse=True)
        assert all(i["queue_id"] in {"billing", "tech_support", "sales"} and i["notes"] for i in record["interactions"])
        ranks = [CASE_RANK[c["status"]] for c in record["cases"]]
        assert ranks == sorted(ranks)
        checked += len(record["interactions"]) >= 2 and len(record["cases"]) >= 1
    assert checked >= 5, "the seed should give several customers history and cases"


def test_unknown_customer_is_404(crm: httpx.Client) -> None:
    for suffix in ("", "/record", "/interactions"):
        response = crm.get(f"/v1/customers/cus-999999{suffix}")
        assert response.status_code == 404
        assert "cus-999999" in response.json()["detail"]


def test_a_written_interaction_comes_first_in_the_history(crm: httpx.Client) -> None:
    response = crm.post("/v1/interactions", json=_interaction("cus-000003"), headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201
    stored = response.json()
    assert stored["id"].startswith("int-")
    assert stored["created_at"]
    assert stored["notes"] == "Explained the late fee and waived it once."
    assert response.headers.get("Idempotent-Replayed") is None
    history = crm.get("/v1/customers/cus-000003/interactions").json()
    assert history[0] == stored
    assert crm.get("/v1/customers/cus-000003/record").json()["interactions"][0] == stored


def test_a_retry_with_the_same_key_stores_nothing_new(crm: httpx.Client) -> None:
    before = len(crm.get("/v1/customers/cus-000005/interactions").json())
    key = str(uuid.uuid4())
    first = crm.post("/v1/interactions", json=_interaction("cus-000005"), headers={"Idempotency-Key": key})
    again = crm.post("/v1/interactions", json=_interaction("cus-000005"), headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(crm.get("/v1/customers/cus-000005/interactions").json()) == before + 1


def test_the_same_key_with_another_body_is_422(crm: httpx.Client) -> None:
    crm.post("/v1/interactions", json=_interaction("cus-000005"), headers={"Idempotency-Key": "k-2"})
    response = crm.post(
        "/v1/interactions", json=_interaction("cus-000005", disposition="Escalated"), headers={"Idempotency-Key": "k-2"}
    )
    assert response.status_code == 422
    assert "different body" in response.json()["detail"]


def test_interaction_without_a_key_or_for_an_unknown_customer_is_refused(crm: httpx.Client) -> None:
    assert crm.post("/v1/interactions", json=_interaction("cus-000005")).status_code == 422
    response = crm.post("/v1/interactions", json=_interaction("cus-999999"), headers={"Idempotency-Key": "k-3"})
    assert response.status_code == 404
    # a refused write does not use up its key
    ok = crm.post("/v1/interactions", json=_interaction("cus-000001"), headers={"Idempotency-Key": "k-3"})
    assert ok.status_code == 201


def test_a_created_customer_can_be_looked_up(crm: httpx.Client, shared_mock_settings: MockSettings) -> None:
    response = crm.post(
        "/v1/customers", json={"name": "Ada Newcaller", "phones": ["(312) 555-0042"], "emails": ["Ada@Example.com"]}
    )
    assert response.status_code == 201
    customer = response.json()
    assert customer["id"] == f"cus-{shared_mock_settings.customers + 1:06d}"
    assert customer["phones"] == ["+13125550042"]
    found = crm.get("/v1/customers/lookup", params={"address": "+1 312 555 0042"}).json()
    assert found["customers"] == [customer]
    assert crm.get("/v1/customers/lookup", params={"address": "ada@example.com"}).json()["customers"] == [customer]


def test_creating_a_customer_with_a_bad_phone_is_422(crm: httpx.Client) -> None:
    response = crm.post("/v1/customers", json={"name": "Bad Number", "phones": ["call me maybe"], "emails": []})
    assert response.status_code == 422
    assert "call me maybe" in str(response.json()["detail"])


def test_answers_parse_as_the_desktop_models(crm: httpx.Client, caller: Caller) -> None:
    from agent_desktop.domain import models

    found = crm.get("/v1/customers/lookup", params={"address": caller.email}).json()
    lookup = models.LookupResult.model_validate(found)
    assert lookup.matched_on == "email"
    records = [crm.get(f"/v1/customers/cus-{n:06d}/record").json() for n in range(1, 21)]
    for raw in records:
        record = models.CustomerRecord.model_validate(raw)
        # no field the desktop would drop or default, but what an adapter adds for a CRM that lacks it (Zendesk
        # keeps no consent unless an account's user field is named: `consent_unkept` says which)
        assert record.model_dump(mode="json", exclude={"customer": {"consent_unkept"}}) == raw
    body = models.InteractionCreate.model_validate(_interaction("cus-000002"))
    headers = {"Idempotency-Key": "k-model", "Content-Type": "application/json"}
    response = crm.post("/v1/interactions", content=body.model_dump_json(), headers=headers)
    assert response.status_code == 201
    assert models.Interaction.model_validate(response.json()).model_dump(mode="json") == response.json()
