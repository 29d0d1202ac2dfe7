"""Hostile request bodies to the three mocks over real HTTP: each gets a precise 4xx, never a 500.

A lone UTF-16 surrogate (`"\\udc80x"`, legal JSON, not storable text), a NUL in a name, a body of
several megabytes, and values the domain refuses (a contact from nobody, a person Offline and in a call).
The bodies are written by hand (`content=`) because a JSON encoder would not produce some of them.
One server of each for the module (`shared_*_url`): what is refused stores nothing, and what is accepted
no other test here reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import (
    DEMO_CRM_TOKEN,
    DEMO_PRESENCE_TOKEN,
    DEMO_SUPERVISOR_TOKEN,
)
from agent_desktop_mocks.common.http.request_guard import MAX_BODY_BYTES

LONE_SURROGATE = '"\\udc80x"'  # JSON text: the escape stays an escape on the wire
NUL = '"Evil\\u0000Corp"'
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def crm(shared_crm_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=shared_crm_url, headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, timeout=10) as c:
        yield c


@pytest.fixture
def presence(shared_presence_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"}
    with httpx.Client(base_url=shared_presence_url, headers=headers, timeout=10) as c:
        yield c


@pytest.fixture
def supervisor(shared_ccaas_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
    with httpx.Client(base_url=shared_ccaas_url, headers=headers, timeout=10) as c:
        yield c


def _any_customer(crm: httpx.Client) -> str:
    created = crm.post("/v1/customers", json={"name": "Plain Customer"})
    assert created.status_code == 201, created.text
    answer: str = created.json()["id"]
    return answer


def _post(client: httpx.Client, method: str, path: str, body: str, **headers: str) -> httpx.Response:
    return client.request(method, path, content=body.encode("ascii"), headers={**JSON, **headers})


def _assert_refused_at(response: httpx.Response, field: str | int) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    locations = [error["loc"] for error in response.json()["detail"]]
    assert any(loc[-1] == field for loc in locations), locations


def _crm_writes(customer_id: str, text: str) -> list[tuple[str, str, str, str]]:
    """(method, path, body, the field holding `text`) for every CRM write."""
    interaction = (
        '{"customer_id": "%s", "contact_id": "c-1", "channel": "voice", "direction": "inbound", '
        '"agent_id": "agent-001", "queue_id": "billing", "offered_at": "2030-01-01T10:00:00Z", '
        '"ended_at": "2030-01-01T10:05:00Z", "disposition": %s}'
    ) % (customer_id, text)
    return [
        ("POST", "/v1/customers", '{"name": %s}' % text, "name"),
        ("POST", "/v1/cases", '{"customer_id": "%s", "subject": %s}' % (customer_id, text), "subject"),
        ("POST", f"/v1/customers/{customer_id}/notes", '{"text": %s}' % text, "text"),
        ("POST", "/v1/interactions", interaction, "disposition"),
    ]


@pytest.mark.parametrize("text", [LONE_SURROGATE, NUL], ids=["lone-surrogate", "nul"])
def test_the_crm_refuses_unstorable_text_in_every_write(crm: httpx.Client, text: str) -> None:
    customer_id = _any_customer(crm)
    for method, path, body, field in _crm_writes(customer_id, text):
        _assert_refused_at(_post(crm, method, path, body, **{"Idempotency-Key": f"k-{path}-{len(text)}"}), field)
    # Nothing was written: the customer has no note, the fault switch is untouched.
    assert crm.get(f"/v1/customers/{customer_id}/notes").json() == []


def test_the_crm_fault_switch_refuses_a_lone_surrogate(crm: httpx.Client) -> None:
    _assert_refused_at(_post(crm, "PUT", "/v1/admin/faults", '{"methods": [%s]}' % LONE_SURROGATE), 0)


def test_a_lone_surrogate_with_another_invalid_field_is_still_a_422(crm: httpx.Client) -> None:
    """The case FastAPI's own handler crashed on: a validation error echoing the surrogate back."""
    response = _post(crm, "POST", "/v1/customers", '{"name": %s, "phones": 5}' % LONE_SURROGATE)
    assert response.status_code == 422, response.text[:300]


def test_a_surrogate_pair_is_ordinary_text(crm: httpx.Client) -> None:
    response = _post(crm, "POST", "/v1/customers", '{"name": "Zo\\u00eb \\ud83d\\ude00 Ltd"}')
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Zoë 😀 Ltd"


@pytest.mark.parametrize("text", [LONE_SURROGATE, NUL], ids=["lone-surrogate", "nul"])
def test_the_presence_server_refuses_unstorable_text(presence: httpx.Client, text: str) -> None:
    before = presence.get("/v1/people/p-0001").json()["presence"]
    response = _post(
        presence, "PUT", "/v1/people/p-0001/presence", '{"availability": "Away", "status_message": %s}' % text
    )
    _assert_refused_at(response, "status_message")
    _assert_refused_at(_post(presence, "POST", "/v1/people/p-0001/messages", '{"text": %s}' % text), "text")
    _assert_refused_at(
        _post(presence, "POST", "/v1/people/p-0001/messages", '{"text": "hello", "sender": %s}' % text), "sender"
    )
    assert presence.get("/v1/people/p-0001").json()["presence"] == before


@pytest.mark.parametrize("text", [LONE_SURROGATE, NUL], ids=["lone-surrogate", "nul"])
def test_the_ccaas_refuses_unstorable_text(supervisor: httpx.Client, text: str) -> None:
    body = '{"queue_id": "billing", "channel": "chat", "from_address": %s}' % text
    _assert_refused_at(_post(supervisor, "POST", "/v1/contacts", body), "from_address")


@pytest.mark.parametrize("address", ["", "   "])
def test_a_contact_from_no_address_is_refused(supervisor: httpx.Client, address: str) -> None:
    response = supervisor.post(
        "/v1/contacts", json={"queue_id": "billing", "channel": "voice", "from_address": address}
    )
    _assert_refused_at(response, "from_address")


@pytest.mark.parametrize(
    ("availability", "activity"),
    [("Offline", "InACall"), ("Offline", "Presenting"), ("Available", "InAMeeting"), ("PresenceUnknown", "Busy")],
)
def test_a_presence_that_contradicts_itself_is_refused(
    presence: httpx.Client, availability: str, activity: str
) -> None:
    before = presence.get("/v1/people/p-0002").json()["presence"]
    response = presence.put("/v1/people/p-0002/presence", json={"availability": availability, "activity": activity})
    _assert_refused_at(response, "activity")
    assert presence.get("/v1/people/p-0002").json()["presence"] == before


@pytest.mark.parametrize(
    ("availability", "activity"),
    [("Offline", "OffWork"), ("Busy", "InACall"), ("DoNotDisturb", "Presenting"), ("Away", "OutOfOffice")],
)
def test_a_coherent_presence_is_accepted(presence: httpx.Client, availability: str, activity: str) -> None:
    response = presence.put("/v1/people/p-0002/presence", json={"availability": availability, "activity": activity})
    assert response.status_code == 200, response.text
    assert response.json()["presence"]["activity"] == activity


def _huge_invalid_json() -> bytes:
    # Not even JSON: a 413 (not a 422) shows the size was refused before any parse.
    return b"{" + b"x" * (MAX_BODY_BYTES + 1)


@pytest.mark.parametrize("service", ["crm", "presence", "ccaas"])
def test_a_body_over_the_limit_is_413_before_any_parse(request: pytest.FixtureRequest, service: str) -> None:
    client, method, path = {
        "crm": ("crm", "POST", "/v1/customers"),
        "presence": ("presence", "POST", "/v1/people/p-0001/messages"),
        "ccaas": ("supervisor", "POST", "/v1/contacts"),
    }[service]
    http: httpx.Client = request.getfixturevalue(client)
    sized = http.request(method, path, content=_huge_invalid_json(), headers=JSON)
    assert sized.status_code == 413, sized.text[:300]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        body = _huge_invalid_json()
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    chunked = http.request(method, path, content=chunks(), headers=JSON)
    assert chunked.status_code == 413, chunked.text[:300]
    # The server is still answering normally afterwards.
    assert http.get("/healthz").json() == {"status": "ok"}


def test_a_large_but_sane_body_is_accepted(crm: httpx.Client) -> None:
    customer_id = _any_customer(crm)
    notes = "n" * 50_000
    response = crm.post(
        f"/v1/customers/{customer_id}/notes", json={"text": notes}, headers={"Idempotency-Key": "big-note"}
    )
    assert response.status_code == 201, response.text[:300]
    assert json.loads(response.text)["text"] == notes
