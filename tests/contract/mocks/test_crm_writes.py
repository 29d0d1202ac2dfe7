"""The mock CRM's writes over real HTTP: notes, cases, customers, each idempotent; the record's new parts;
the phone region; the test-only fault switch."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings


@pytest.fixture
def crm(crm_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=crm_url, headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, timeout=20) as client:
        yield client
        client.put("/v1/admin/faults", json={"methods": []})


def test_the_record_has_account_billing_orders_and_preferences(crm: httpx.Client, mock_settings: MockSettings) -> None:
    records = [crm.get(f"/v1/customers/cus-{n:06d}/record").json() for n in range(1, mock_settings.customers + 1)]
    for record in records:
        customer, account = record["customer"], record["account"]
        assert account["number"] == customer["account_number"]
        assert account["customer_id"] == customer["id"]
        assert "••••" in account["payment_method"], "a card on file is shown masked, never in full"
        assert customer["segment"]
        assert customer["address"]
        assert customer["consent_recording"] is not None
        times = [o["placed_at"] for o in record["orders"]]
        assert times == sorted(times, reverse=True)
    assert sum(bool(r["orders"]) for r in records) > len(records) / 2
    assert any(i["transfer_path"] for r in records for i in r["interactions"]), "some history passed through queues"


def test_a_note_is_written_once_per_key(crm: httpx.Client) -> None:
    body = {"text": "Prefers a call back after 5 pm.", "contact_id": "c-000001", "author": "agent-001"}
    first = crm.post("/v1/customers/cus-000002/notes", json=body, headers={"Idempotency-Key": "note-1"})
    again = crm.post("/v1/customers/cus-000002/notes", json=body, headers={"Idempotency-Key": "note-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [n["text"] for n in crm.get("/v1/customers/cus-000002/notes").json()] == [body["text"]]
    other = crm.post(
        "/v1/customers/cus-000002/notes", json={**body, "text": "x"}, headers={"Idempotency-Key": "note-1"}
    )
    assert other.status_code == 422
    assert crm.post("/v1/customers/cus-999999/notes", json=body, headers={"Idempotency-Key": "n2"}).status_code == 404
    assert crm.post("/v1/customers/cus-000002/notes", json=body).status_code == 422, "the key is required"


def test_a_case_is_opened_from_a_contact_once_and_another_contact_linked_to_it(crm: httpx.Client) -> None:
    body = {"customer_id": "cus-000004", "subject": "Router keeps rebooting", "priority": "high", "contact_id": "c-1"}
    first = crm.post("/v1/cases", json=body, headers={"Idempotency-Key": "case-1"})
    again = crm.post("/v1/cases", json=body, headers={"Idempotency-Key": "case-1"})
    assert first.status_code == 201
    assert again.json() == first.json()
    case = first.json()
    assert case["status"] == "open"
    assert case["contact_ids"] == ["c-1"]
    cases = crm.get("/v1/customers/cus-000004/cases").json()
    assert [c["id"] for c in cases].count(case["id"]) == 1
    assert cases[0]["status"] == "open"

    link = crm.post(f"/v1/cases/{case['id']}/contacts", json={"contact_id": "c-2"}, headers={"Idempotency-Key": "l-1"})
    relink = crm.post(
        f"/v1/cases/{case['id']}/contacts", json={"contact_id": "c-2"}, headers={"Idempotency-Key": "l-1"}
    )
    assert link.status_code == relink.status_code == 200
    assert relink.headers["Idempotent-Replayed"] == "true"
    assert crm.get(f"/v1/cases/{case['id']}").json()["contact_ids"] == ["c-1", "c-2"]
    # the same key on another endpoint is a different request
    assert crm.post("/v1/cases", json=body, headers={"Idempotency-Key": "l-1"}).status_code == 422


def test_linking_to_a_closed_or_unknown_case_is_refused(crm: httpx.Client, mock_settings: MockSettings) -> None:
    closed = next(
        c
        for n in range(1, mock_settings.customers + 1)
        for c in crm.get(f"/v1/customers/cus-{n:06d}/cases").json()
        if c["status"] == "closed"
    )
    response = crm.post(
        f"/v1/cases/{closed['id']}/contacts", json={"contact_id": "c-9"}, headers={"Idempotency-Key": "k"}
    )
    assert response.status_code == 409
    assert response.json()["state"] == "closed"
    missing = crm.post("/v1/cases/case-999999/contacts", json={"contact_id": "c-9"}, headers={"Idempotency-Key": "k2"})
    assert missing.status_code == 404


def test_creating_a_customer_with_a_key_makes_one(crm: httpx.Client) -> None:
    body = {"name": "Ada Once", "phones": ["+1 312 555 0043"], "emails": [], "language": "fr"}
    first = crm.post("/v1/customers", json=body, headers={"Idempotency-Key": "new-ada"})
    again = crm.post("/v1/customers", json=body, headers={"Idempotency-Key": "new-ada"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(crm.get("/v1/customers/lookup", params={"phone": "3125550043"}).json()["customers"]) == 1


def test_the_phone_region_reads_national_numbers(crm: httpx.Client) -> None:
    crm.post("/v1/customers", json={"name": "Londoner", "phones": ["+44 20 7946 0018"], "emails": []})
    as_us = crm.get("/v1/customers/lookup", params={"address": "020 7946 0018"})
    assert as_us.status_code == 422, "read as a US number it is not a phone number"
    found = crm.get("/v1/customers/lookup", params={"address": "020 7946 0018", "region": "GB"}).json()
    assert [c["name"] for c in found["customers"]] == ["Londoner"]
    assert crm.get("/v1/customers/lookup", params={"address": "1", "region": "XX"}).status_code == 422


def test_injected_faults_fail_then_heal_and_slow_writes_down(crm: httpx.Client) -> None:
    body = {"text": "hello"}
    crm.put("/v1/admin/faults", json={"fail_status": 500, "count": 2, "methods": ["POST"]})
    codes = [
        crm.post("/v1/customers/cus-000001/notes", json=body, headers={"Idempotency-Key": "f"}).status_code
        for _ in range(3)
    ]
    assert codes == [500, 500, 201]
    assert crm.get("/v1/customers/cus-000001").status_code == 200, "GETs are not affected"
    crm.put("/v1/admin/faults", json={"delay_s": 0.5, "methods": ["POST"]})
    started = time.monotonic()
    crm.post("/v1/customers/cus-000001/notes", json=body, headers={"Idempotency-Key": "f"})
    assert time.monotonic() - started >= 0.5
    assert crm.get("/v1/admin/faults").json()["delay_s"] == 0.5


def _interaction(contact_id: str, customer_id: str | None) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "contact_id": contact_id,
        "channel": "voice",
        "agent_id": "agent-001",
        "queue_id": "billing",
        "disposition": "Resolved",
        "notes": "Caller would not say who they were.",
    }


def test_an_interaction_with_no_customer_is_stored_unattributed(crm: httpx.Client) -> None:
    body = _interaction("c-anon-1", None)
    first = crm.post("/v1/interactions", json=body, headers={"Idempotency-Key": "anon-1"})
    again = crm.post("/v1/interactions", json=body, headers={"Idempotency-Key": "anon-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert first.json()["customer_id"] is None
    crm.post("/v1/interactions", json=_interaction("c-known", "cus-000001"), headers={"Idempotency-Key": "known-1"})
    unattributed = crm.get("/v1/interactions", params={"unattributed": "true"}).json()
    assert [(i["contact_id"], i["notes"]) for i in unattributed] == [("c-anon-1", body["notes"])], "once, and alone"
    assert crm.get("/v1/interactions", params={"unattributed": "true", "contact_id": "c-known"}).json() == []
    assert [i["customer_id"] for i in crm.get("/v1/interactions", params={"contact_id": "c-known"}).json()] == [
        "cus-000001"
    ]
    assert crm.get("/v1/interactions").status_code == 422, "no filter: refused, not the whole table"
    unknown = crm.post("/v1/interactions", json=_interaction("c-x", "cus-999999"), headers={"Idempotency-Key": "x-1"})
    assert unknown.status_code == 404, "an unknown customer is still refused"


def test_customers_are_found_by_name_phone_email_or_account(crm: httpx.Client, mock_settings: MockSettings) -> None:
    from agent_desktop_mocks.demo_people import callers

    caller = callers(mock_settings.seed, mock_settings.customers)[4]
    customer = crm.get(f"/v1/customers/cus-{caller.index + 1:06d}").json()
    first, *_, last = caller.name.split()
    digits = caller.phone_e164[2:]
    for query in (
        f"{last.upper()} {first.lower()}",
        f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
        caller.email.upper(),
        customer["account_number"].lower(),
    ):
        found = crm.get("/v1/customers/search", params={"q": query}).json()
        assert customer["id"] in [c["id"] for c in found], query
    assert crm.get("/v1/customers/search", params={"q": "nobody is called this"}).json() == []
    assert crm.get("/v1/customers/search", params={"q": ""}).status_code == 422
    assert len(crm.get("/v1/customers/search", params={"q": "a", "limit": 3}).json()) == 3


def test_who_ended_the_conversation_is_kept_and_said_on_the_timeline(crm: httpx.Client) -> None:
    odd = crm.post(
        "/v1/interactions",
        json={**_interaction("c-ended", "cus-000002"), "ended_by": "robot"},
        headers={"Idempotency-Key": "ended-0"},
    )
    assert odd.status_code == 422, odd.text
    body = {**_interaction("c-ended", "cus-000002"), "ended_by": "customer"}
    written = crm.post("/v1/interactions", json=body, headers={"Idempotency-Key": "ended-1"})
    assert written.status_code == 201, written.text
    assert crm.get(f"/v1/interactions/{written.json()['id']}").json()["ended_by"] == "customer"
    items = crm.get("/v1/customers/cus-000002/timeline").json()["items"]
    line = next(item for item in items if item["interaction_id"] == written.json()["id"])
    assert "ended by the customer" in line["summary"]


def test_a_call_taken_over_transferred_or_consulted_away_is_said_so_on_the_timeline(crm: httpx.Client) -> None:
    """Who ended each call: the agent's part of it ended by a supervisor taking it over, a
    transfer, a consult completed; the customer's history says which, and an inactivity timeout as one."""
    said = {
        "takeover": "taken over by a supervisor",
        "transfer": "ended by a transfer",
        "consult": "ended by a consult",
        "system": "closed by the inactivity timeout",
    }
    for n, (ended_by, words) in enumerate(said.items()):
        body = {**_interaction(f"c-how-{n}", "cus-000003"), "ended_by": ended_by}
        written = crm.post("/v1/interactions", json=body, headers={"Idempotency-Key": f"how-{n}"})
        assert written.status_code == 201, written.text
        items = crm.get("/v1/customers/cus-000003/timeline").json()["items"]
        line = next(item for item in items if item["interaction_id"] == written.json()["id"])
        assert words in line["summary"], line["summary"]
