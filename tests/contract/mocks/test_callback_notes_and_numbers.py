"""A callback an agent schedules, over HTTP: its note is masked as it arrives (the card number and security code a
customer gave are neither kept nor served, to the agent or to the queue's supervisor), and its number must be one a
phone can dial (E.164: + then 8 to 15 digits), else a 422 naming `number` with the rule. A real server on loopback
per test (the conversation rig's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    agent,
    contact_in_hand,
    supervisor,
    url,
)


def schedule(agent: httpx.Client, contact_id: str, **fields: object) -> httpx.Response:
    due = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    body = {"contact_id": contact_id, "due_at": due, "time_zone": "Europe/Paris", **fields}
    return agent.post("/v1/agents/agent-001/callbacks", json=body)


def test_a_callbacks_note_is_masked_for_the_agent_and_the_supervisor(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor, channel="voice")
    made = schedule(agent, contact["id"], note="card 4111 1111 1111 1111 exp 12/29 cvv 123")
    assert made.status_code == 201, made.text
    for reader in (agent, supervisor):
        (listed,) = reader.get("/v1/agents/agent-001/callbacks").json()
        assert "4111" not in listed["note"], listed["note"]
        assert "123" not in listed["note"], listed["note"]
        assert "•••• 1111" in listed["note"]


def test_a_callback_number_that_no_phone_dials_is_refused_with_the_rule(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor, channel="voice")
    for number in ("+" + "1" * 200_000, "+1415\x1b[31m555; rm -rf /", "+1 415 555 0101", "+1234567", "12125550111"):
        refused = schedule(agent, contact["id"], number=number)
        assert refused.status_code == 422, (number[:30], refused.text[:200])
        (error,) = refused.json()["detail"]
        assert error["loc"] == ["body", "number"]
        assert "E.164: + then 8 to 15 digits" in error["msg"]
    assert "200,001 characters" in schedule(agent, contact["id"], number="+" + "1" * 200_000).text
    assert agent.get("/v1/agents/agent-001/callbacks").json() == [], "nothing stored, nothing to dial"
    made = schedule(agent, contact["id"], number="+442079460958")
    assert made.status_code == 201
    assert made.json()["number"] == "+442079460958"
