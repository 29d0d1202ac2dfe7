"""The mock presence server over real HTTP: the expert directory, presence changes and their stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from httpx_sse import connect_sse

from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN, MockSettings

FREE = {"Available", "AvailableIdle"}
UNREACHABLE = {"Offline", "PresenceUnknown"}
DEPARTMENTS = {"Billing", "Technical Support", "Sales", "Retention", "Fraud", "Network Operations"}


def _group(person: dict[str, Any]) -> int:
    availability = person["presence"]["availability"]
    return 0 if availability in FREE else 2 if availability in UNREACHABLE else 1


@pytest.fixture
def presence(presence_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"}
    with httpx.Client(base_url=presence_url, headers=headers, timeout=httpx.Timeout(5.0)) as client:
        yield client


def _events(client: httpx.Client, count: int, last_event_id: str | None = None) -> list[Any]:
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    with connect_sse(client, "GET", "/v1/presence/events", headers=headers) as source:
        events = []
        for event in source.iter_sse():
            events.append(event)
            if len(events) == count:
                return events
    raise AssertionError("stream ended early")


def test_health_and_openapi_need_no_token(presence_url: str) -> None:
    assert httpx.get(f"{presence_url}/healthz").json() == {"status": "ok"}
    assert "/v1/people" in httpx.get(f"{presence_url}/openapi.json").json()["paths"]


@pytest.mark.parametrize("path", ["/v1/people", "/v1/people/p-0001", "/v1/presence/events"])
def test_v1_without_a_token_is_401(presence_url: str, path: str) -> None:
    assert httpx.get(f"{presence_url}{path}").status_code == 401
    assert httpx.get(f"{presence_url}{path}", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_directory_lists_free_people_first_then_by_name(presence: httpx.Client, mock_settings: MockSettings) -> None:
    people = presence.get("/v1/people").json()
    assert len(people) == mock_settings.experts
    assert [p["id"] for p in people if p["id"]]
    assert {p["department"] for p in people} == DEPARTMENTS
    keys = [(_group(p), p["name"].lower()) for p in people]
    assert keys == sorted(keys)
    assert _group(people[0]) == 0
    assert _group(people[-1]) > 0
    assert {"billing", "tech_support", "sales"} <= {s for p in people for s in p["skills"]}
    for person in people:
        assert person["id"].startswith("p-")
        assert person["address"].startswith("sip:")
        assert person["address"].endswith("@example.com")
        assert person["time_zone"]
        assert person["languages"]


def test_search_by_text_skill_department_and_availability(presence: httpx.Client) -> None:
    everyone = presence.get("/v1/people").json()
    fraud = presence.get("/v1/people", params={"q": "FRAUD"}).json()
    assert fraud
    assert all(p["department"] == "Fraud" or "fraud" in p["skills"] for p in fraud)
    assert {p["id"] for p in everyone if p["department"] == "Fraud"} <= {p["id"] for p in fraud}
    name = everyone[3]["name"]
    assert name in [p["name"] for p in presence.get("/v1/people", params={"q": name.split()[1].lower()}).json()]
    billing = presence.get("/v1/people", params={"skill": "billing"}).json()
    assert billing
    assert all("billing" in p["skills"] for p in billing)
    assert len(billing) == sum("billing" in p["skills"] for p in everyone)
    support = presence.get("/v1/people", params={"department": "technical support"}).json()
    assert support
    assert {p["department"] for p in support} == {"Technical Support"}
    free = presence.get("/v1/people", params={"availability": "Available"}).json()
    assert all(p["presence"]["availability"] == "Available" for p in free)
    assert presence.get("/v1/people", params={"q": "no such expert anywhere"}).json() == []
    assert presence.get("/v1/people", params={"availability": "Sleeping"}).status_code == 422


def test_a_presence_change_is_stored_reordered_and_streamed(presence: httpx.Client) -> None:
    person = presence.get("/v1/people").json()[-1]  # the last: not free
    with connect_sse(presence, "GET", "/v1/presence/events") as source:
        response = presence.put(
            f"/v1/people/{person['id']}/presence",
            json={"availability": "Available", "status_message": "Free for consults"},
        )
        assert response.status_code == 200
        event = next(source.iter_sse())
    assert event.event == "presence"
    assert int(event.id) > 0
    data = event.json()
    assert data["type"] == "presence"
    assert data["person_id"] == person["id"]
    assert data["presence"]["availability"] == "Available"
    assert data["presence"]["activity"] == "Available"
    assert data["presence"]["status_message"] == "Free for consults"
    assert presence.get(f"/v1/people/{person['id']}").json()["presence"] == data["presence"]
    first_group = [p["id"] for p in presence.get("/v1/people").json() if _group(p) == 0]
    assert person["id"] in first_group


def test_reconnecting_with_last_event_id_replays_what_was_missed(presence: httpx.Client) -> None:
    presence.put("/v1/people/p-0001/presence", json={"availability": "Busy", "activity": "InACall"})
    (seen,) = _events(presence, 1, last_event_id="0")
    presence.put("/v1/people/p-0002/presence", json={"availability": "DoNotDisturb", "activity": "Presenting"})
    presence.put("/v1/people/p-0003/presence", json={"availability": "BeRightBack"})
    missed = _events(presence, 2, last_event_id=seen.id)
    assert [(e.json()["person_id"], e.json()["presence"]["availability"]) for e in missed] == [
        ("p-0002", "DoNotDisturb"),
        ("p-0003", "BeRightBack"),
    ]
    assert int(seen.id) < int(missed[0].id) < int(missed[1].id)


@pytest.mark.parametrize(
    "body",
    [{"availability": "Sleeping"}, {"availability": "Busy", "activity": "Napping"}, {}],
)
def test_unknown_presence_values_are_422(presence: httpx.Client, body: dict[str, str]) -> None:
    response = presence.put("/v1/people/p-0001/presence", json=body)
    assert response.status_code == 422


def test_unknown_person_is_404(presence: httpx.Client) -> None:
    assert presence.get("/v1/people/p-9999").status_code == 404
    response = presence.put("/v1/people/p-9999/presence", json={"availability": "Available"})
    assert response.status_code == 404
    assert "p-9999" in response.json()["detail"]


def test_answers_parse_as_the_desktop_models(presence: httpx.Client) -> None:
    from agent_desktop.domain import models

    for raw in presence.get("/v1/people").json():
        assert models.Expert.model_validate(raw).model_dump(mode="json") == raw
    presence.put("/v1/people/p-0004/presence", json={"availability": "BusyIdle"})
    (event,) = _events(presence, 1, last_event_id="0")
    assert models.PresenceEvent.model_validate_json(event.data).model_dump(mode="json") == event.json()
