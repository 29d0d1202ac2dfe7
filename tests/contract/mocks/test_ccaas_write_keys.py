"""The contact center's own writes under an `Idempotency-Key`: a callback scheduled, a flag raised and a
line of its thread, sent again after an answer was lost, are stored once and the first answer is replayed; the same
key with another body is 422; a refused request does not use up its key; a write with no key is stored each time.
A real server on loopback per test (the conversation rig's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    agent,
    contact_in_hand,
    supervisor,
    url,
)

CALLBACKS = "/v1/agents/agent-001/callbacks"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def test_a_callback_sent_again_under_its_key_is_stored_once(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor, channel="voice")
    due = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    body = {"contact_id": contact["id"], "due_at": due, "time_zone": "Europe/Paris", "note": "About the refund"}
    first = agent.post(CALLBACKS, json=body, headers=keyed("cb-1"))
    again = agent.post(CALLBACKS, json=body, headers=keyed("cb-1"))
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert [c["note"] for c in agent.get(CALLBACKS).json()] == ["About the refund"]
    other = agent.post(CALLBACKS, json={**body, "note": "Something else"}, headers=keyed("cb-1"))
    assert other.status_code == 422
    assert "different body" in other.text
    refused = agent.post(CALLBACKS, json={**body, "time_zone": "Mars/Olympus"}, headers=keyed("cb-2"))
    assert refused.status_code == 422
    assert agent.post(CALLBACKS, json=body, headers=keyed("cb-2")).status_code == 201  # the key was not used up
    assert agent.post(CALLBACKS, json=body).status_code == 201  # no key: a write each time
    assert len(agent.get(CALLBACKS).json()) == 3


def test_a_flag_and_its_line_sent_again_under_their_keys_are_stored_once(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}/flags"
    raised = agent.post(path, json={"text": "Need a manager"}, headers=keyed("f-1"))
    again = agent.post(path, json={"text": "Need a manager"}, headers=keyed("f-1"))
    assert (raised.status_code, again.status_code) == (201, 201), again.text  # not 409 "flagged": a replay
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == raised.json()["id"]
    lines = f"/v1/flags/{raised.json()['id']}/lines"
    for _ in range(2):
        answer = agent.post(lines, json={"text": "Still waiting"}, headers=keyed("l-1"))
        assert answer.status_code == 200, answer.text
    [flag] = agent.get("/v1/flags").json()
    assert [line["text"] for line in flag["lines"]] == ["Need a manager", "Still waiting"]
    assert agent.post(lines, json={"text": "Other"}, headers=keyed("f-1")).status_code == 422  # another route
