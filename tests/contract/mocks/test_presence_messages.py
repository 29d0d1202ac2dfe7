"""Instant messages on the mock presence server: stored, streamed, answered the way presence suggests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from httpx_sse import connect_sse

from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.presence.app import create_app
from agent_desktop_mocks.presence.messages import AUTO_REPLY_DELAY_S, FREE_REPLY_DELAY_S

TIME_SCALE = 20.0  # replies come within 3 s / 20: proving that none comes takes a fraction of a second


@pytest.fixture
def fast_presence(mock_settings: MockSettings) -> Iterator[httpx.Client]:
    """A presence server whose time runs TIME_SCALE times faster."""
    running = serve_in_thread([create_app(mock_settings.model_copy(update={"time_scale": TIME_SCALE}))])
    headers = {"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"}
    try:
        with httpx.Client(base_url=running.urls[0], headers=headers, timeout=httpx.Timeout(10.0)) as client:
            yield client
    finally:
        running.stop()


@pytest.fixture
def presence(presence_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"}
    with httpx.Client(base_url=presence_url, headers=headers, timeout=httpx.Timeout(10.0)) as client:
        yield client


def _messages_on_stream(client: httpx.Client, count: int, timeout_s: float = 8.0) -> list[dict[str, Any]]:
    found, deadline = [], time.monotonic() + timeout_s
    with connect_sse(client, "GET", "/v1/presence/events", headers={"Last-Event-ID": "0"}) as source:
        for event in source.iter_sse():
            if event.event == "expert_message":
                found.append(event.json()["message"])
                if len(found) == count:
                    return found
            assert time.monotonic() < deadline, found
    raise AssertionError("stream ended early")


def test_a_free_person_replies_on_the_stream_and_in_the_conversation(presence: httpx.Client) -> None:
    presence.put("/v1/people/p-0001/presence", json={"availability": "Available"})
    sent = presence.post(
        "/v1/people/p-0001/messages", json={"text": "Can you take a billing dispute?", "sender": "Alex"}
    )
    assert sent.status_code == 201
    message = sent.json()
    assert message["direction"] == "outbound"
    assert message["person_id"] == "p-0001"
    assert message["id"].startswith("m-")
    outbound, reply = _messages_on_stream(presence, 2)
    assert outbound == message
    assert reply["direction"] == "inbound"
    assert reply["person_id"] == "p-0001"
    assert reply["text"]
    assert reply["sender"] == presence.get("/v1/people/p-0001").json()["name"]
    assert presence.get("/v1/people/p-0001/messages").json() == [outbound, reply]


def test_a_busy_person_sends_an_automatic_reply_naming_what_they_do(presence: httpx.Client) -> None:
    presence.put("/v1/people/p-0002/presence", json={"availability": "Busy", "activity": "InAMeeting"})
    presence.post("/v1/people/p-0002/messages", json={"text": "Quick question"})
    _, reply = _messages_on_stream(presence, 2)
    assert reply["text"].startswith("Automatic reply")
    assert "in a meeting" in reply["text"]


@pytest.mark.parametrize("availability", ["DoNotDisturb", "Offline"])
def test_do_not_disturb_and_offline_do_not_answer(fast_presence: httpx.Client, availability: str) -> None:
    presence = fast_presence
    presence.put("/v1/people/p-0003/presence", json={"availability": availability})
    presence.post("/v1/people/p-0003/messages", json={"text": "Anyone there?"})
    presence.put("/v1/people/p-0001/presence", json={"availability": "Available"})  # who does answer, as a check
    presence.post("/v1/people/p-0001/messages", json={"text": "Anyone there?"})
    longest_s = max(*FREE_REPLY_DELAY_S, *AUTO_REPLY_DELAY_S) / TIME_SCALE
    time.sleep(2 * longest_s)  # twice the longest reply delay (0.3 s): proving an absence needs a wait
    conversation = presence.get("/v1/people/p-0003/messages").json()
    assert [m["direction"] for m in conversation] == ["outbound"]
    answered = presence.get("/v1/people/p-0001/messages").json()
    assert [m["direction"] for m in answered] == ["outbound", "inbound"], "the wait was shorter than a reply"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/v1/people/p-9999/messages", {"text": "hi"}, 404),
        ("GET", "/v1/people/p-9999/messages", None, 404),
        ("POST", "/v1/people/p-0001/messages", {"text": ""}, 422),
        ("POST", "/v1/people/p-0001/messages", {}, 422),
        ("POST", "/v1/people/p-0001/messages", {"text": "x" * 4001}, 422),
    ],
)
def test_bad_message_requests_are_precise_4xx(
    presence: httpx.Client, method: str, path: str, body: dict[str, str] | None, status: int
) -> None:
    response = presence.request(method, path, json=body)
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "no person p-9999"}


def test_messages_need_a_token(presence_url: str) -> None:
    assert httpx.post(f"{presence_url}/v1/people/p-0001/messages", json={"text": "hi"}).status_code == 401


def test_search_limit_and_its_bounds(presence: httpx.Client, mock_settings: MockSettings) -> None:
    assert len(presence.get("/v1/people", params={"limit": 5}).json()) == 5
    assert presence.get("/v1/people", params={"limit": 0}).status_code == 422
    assert presence.get("/v1/people", params={"limit": 1001}).status_code == 422
    assert len(presence.get("/v1/people").json()) == mock_settings.experts
