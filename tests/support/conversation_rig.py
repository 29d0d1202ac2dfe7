"""Helpers for the conversation tests: a CCaaS on loopback with quick simulated customers, and digital contacts in hand."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent

from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.conversations.records import CustomerState
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables.intents import Intent
from agent_desktop_mocks.demo_people import Caller
from tests.contract.mocks.test_ccaas_api import client, go_available, new_contact, pending_offer, serving

SPEED = 40.0  # the simulated customers answer within a fraction of a second
SEED = 7
CUSTOMERS = 60
KNOWN_PHONE = "+12125550100"  # demo caller 0 of every seed


def settings_for(folder: Path, *, speed: float = SPEED, fresh: bool = True) -> MockSettings:
    return MockSettings(data_dir=folder, seed=SEED, customers=CUSTOMERS, simulator=False, speed=speed, fresh=fresh)


# Fixtures (import them into a test module): a server per test, the demo agent's and a supervisor's clients.


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with serving(settings_for(tmp_path)) as served:
        yield served


@pytest.fixture
def agent(url: str) -> Iterator[httpx.Client]:
    with client(url) as c:
        yield c


@pytest.fixture
def supervisor(url: str) -> Iterator[httpx.Client]:
    with client(url, DEMO_SUPERVISOR_TOKEN) as c:
        yield c


def accept(c: httpx.Client, agent_id: str = "agent-001") -> dict[str, Any]:
    response = c.post(f"/v1/offers/{pending_offer(c, agent_id)['id']}/accept")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def contact_in_hand(
    agent: httpx.Client,
    supervisor: httpx.Client,
    channel: str = "chat",
    queue_id: str = "billing",
    subject: str | None = "Charged twice this month",
    from_address: str = KNOWN_PHONE,
) -> dict[str, Any]:
    """A new contact offered to the demo agent and accepted."""
    if agent.get("/v1/agents/agent-001").json()["state"] != "busy":  # busy with chats is still routable
        go_available(agent)
    contact = new_contact(supervisor, queue_id, channel=channel, from_address=from_address, subject=subject)
    accept(agent)
    return contact


def transcript(c: httpx.Client, contact_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """Every item, oldest first, read page by page from the newest."""
    items: list[dict[str, Any]] = []
    before = None
    while True:
        params = {"limit": limit, **({"before": before} if before else {})}
        response = c.get(f"/v1/contacts/{contact_id}/messages", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        items[:0] = page["items"]
        if not page["has_more"]:
            return items
        before = page["items"][0]["id"]


def wait_for_transcript(
    c: httpx.Client, contact_id: str, condition: Callable[[list[dict[str, Any]]], bool], timeout_s: float = 8.0
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while not condition(items := transcript(c, contact_id)):
        assert time.monotonic() < deadline, f"timed out; transcript: {[(i['role'], i['text']) for i in items]}"
        time.sleep(0.05)
    return items


def customer_lines(items: list[dict[str, Any]]) -> list[str]:
    return [i["text"] for i in items if i["role"] == "customer" and i["kind"] == "message"]


def send(c: httpx.Client, contact_id: str, text: str, **fields: object) -> dict[str, Any]:
    response = c.post(f"/v1/contacts/{contact_id}/messages", json={"text": text, **fields})
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def next_event(stream: Iterator[ServerSentEvent], type_: str, **where: object) -> ServerSentEvent:
    for event in stream:
        if event.event == type_ and all(event.json().get(k) == v for k, v in where.items()):
            return event
    raise AssertionError(f"stream ended without a {type_} event")


def expected_customer(contact: dict[str, Any], seed: int = SEED) -> tuple[Intent, CustomerState, Caller | None]:
    """The simulated customer the server made for this contact (the same pure functions, the same seed)."""
    intent = customers.choose_intent(seed, contact["id"], contact["queue_id"], contact["subject"])
    caller = customers.known_caller(seed, CUSTOMERS, contact["from_address"])
    entered = datetime.fromisoformat(contact["entered_queue_at"])
    state = customers.new_customer(
        seed, contact["id"], intent, caller, contact["from_address"], entered, Channel(contact.get("channel", "voice"))
    )
    return intent, state, caller


def channel(contact: dict[str, Any]) -> Channel:
    return Channel(contact["channel"])
