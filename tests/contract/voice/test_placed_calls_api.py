"""Calls the agent places, at the mock contact center over HTTP: the queue's caller IDs, a number
refused with the rule unless it is E.164 (escapes, letters, 10,000 digits, a national number), a caller ID not on the
queue's list refused, and a call placed in the agent's hands at once, outbound, wrapped up like any call; a second
only while the first is on hold, one call talking at a time (a 409 naming the call that talks). One server
for the module (a real one on loopback: the desk's client talks to it so)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.contract.mocks.test_ccaas_api import client, serving
from tests.support.conversation_rig import settings_for

CALLS = "/v1/agents/agent-001/calls"
HOSTILE = {
    "escapes": "+1512\x1b[31m5550199",
    "letters": "+1512CALLNOW",
    "10,000 digits": "+" + "1" * 10_000,
    "a national number": "(512) 555-0199",
    "too short for any country": "+1234567",
    "markup": "[@click=app.quit]+15125550199[/]",
}


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder: Path = tmp_path_factory.mktemp("placed-calls")
    with serving(settings_for(folder)) as url, client(url) as c:
        yield c


def in_hand(agent: httpx.Client) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = agent.get("/v1/agents/agent-001/contacts").json()
    return listed


def test_the_queues_caller_ids_default_first_and_an_unknown_queue_is_404(agent: httpx.Client) -> None:
    assert agent.get("/v1/queues/billing/caller-ids").json() == {
        "queue_id": "billing",
        "caller_ids": ["+15125550100", "+18005550100"],
    }
    assert agent.get("/v1/queues/nowhere/caller-ids").status_code == 404


def test_a_call_is_refused_with_the_rule_and_nothing_is_placed(agent: httpx.Client) -> None:
    offline = agent.post(CALLS, json={"number": "+15125550199", "queue_id": "billing"})
    assert offline.status_code == 409, offline.text
    assert "offline" in offline.json()["detail"]
    signed_in = agent.put("/v1/agents/agent-001/state", json={"state": "not_ready", "reason": "Break"})
    assert signed_in.status_code == 200, signed_in.text
    for why, number in HOSTILE.items():
        refused = agent.post(CALLS, json={"number": number, "queue_id": "billing"})
        assert refused.status_code == 422, (why, refused.text[:200])
        (error,) = refused.json()["detail"]
        assert error["loc"] == ["body", "number"], why
        assert "E.164: + then 8 to 15 digits" in error["msg"], (why, error["msg"])
    assert (
        "10,001 characters" in agent.post(CALLS, json={"number": HOSTILE["10,000 digits"], "queue_id": "billing"}).text
    )
    not_listed = agent.post(CALLS, json={"number": "+15125550199", "queue_id": "billing", "caller_id": "+15125550110"})
    assert not_listed.status_code == 422, not_listed.text
    (error,) = not_listed.json()["detail"]
    assert error["loc"] == ["body", "caller_id"], error
    assert "+15125550100" in error["msg"], error
    assert agent.post(CALLS, json={"number": "+15125550199", "queue_id": "nowhere"}).status_code == 404
    assert in_hand(agent) == [], "a refused call is placed nowhere"


def test_a_placed_call_is_in_hand_outbound_and_wraps_up_like_any_call(agent: httpx.Client) -> None:
    agent.put("/v1/agents/agent-001/state", json={"state": "not_ready", "reason": "Break"})
    placed = agent.post(CALLS, json={"number": "+442079460958", "queue_id": "sales", "caller_id": "+442079460120"})
    assert placed.status_code == 201, placed.text
    call = placed.json()
    assert (call["state"], call["direction"], call["channel"]) == ("connected", "outbound", "voice")
    assert (call["from_address"], call["caller_id"], call["agent_id"]) == (
        "+442079460958",
        "+442079460120",
        "agent-001",
    )
    assert [c["id"] for c in in_hand(agent)] == [call["id"]]
    second = agent.post(CALLS, json={"number": "+15125550199", "queue_id": "billing"})
    assert second.status_code == 409, second.text
    assert f"your call with +442079460958 ({call['id']}) is connected" in second.json()["detail"], second.text
    assert agent.post(f"/v1/contacts/{call['id']}/hold").status_code == 200
    default = agent.post(CALLS, json={"number": "+15125550199", "queue_id": "billing"})
    assert default.status_code == 201, "with the first on hold, a second call may be placed"
    assert default.json()["caller_id"] == "+15125550100", "the queue's first caller ID by default"
    second_id = default.json()["id"]
    for contact_id, disposition in ((call["id"], "Quote sent"), (second_id, "Resolved")):
        ended = agent.post(f"/v1/contacts/{contact_id}/end")
        assert ended.status_code == 200, ended.text
        done = agent.post(f"/v1/contacts/{contact_id}/complete", json={"disposition": disposition})
        assert done.status_code == 200, done.text
        assert done.json()["state"] == "completed"
    assert in_hand(agent) == []


def test_one_call_talks_at_a_time_a_held_one_resumed_only_once_the_other_is_held(agent: httpx.Client) -> None:
    """Two calls in hand: the held one's resume is a 409 naming the call that talks; with that one held it resumes,
    and ending either leaves the other as it was."""
    agent.put("/v1/agents/agent-001/state", json={"state": "not_ready", "reason": "Break"})
    first = agent.post(CALLS, json={"number": "+442079460958", "queue_id": "sales"}).json()
    assert agent.post(f"/v1/contacts/{first['id']}/hold").status_code == 200
    second = agent.post(CALLS, json={"number": "+15125550199", "queue_id": "billing"}).json()
    refused = agent.post(f"/v1/contacts/{first['id']}/resume")
    assert refused.status_code == 409, refused.text
    assert f"your call with +15125550199 ({second['id']}) is connected" in refused.json()["detail"], refused.text
    assert "one call talks at a time" in refused.json()["detail"]
    states = {c["id"]: c["state"] for c in in_hand(agent)}
    assert states == {first["id"]: "on_hold", second["id"]: "connected"}, "a refused resume changed nothing"
    assert agent.post(f"/v1/contacts/{second['id']}/hold").status_code == 200
    resumed = agent.post(f"/v1/contacts/{first['id']}/resume")
    assert resumed.status_code == 200, resumed.text
    assert agent.post(f"/v1/contacts/{first['id']}/end").status_code == 200
    states = {c["id"]: c["state"] for c in in_hand(agent)}
    assert states == {first["id"]: "after_contact_work", second["id"]: "on_hold"}, "the other call as it was"
    assert agent.post(f"/v1/contacts/{second['id']}/resume").status_code == 200, "none other talks now"
    assert agent.post(f"/v1/contacts/{second['id']}/end").status_code == 200
    for contact, disposition in ((first, "Quote sent"), (second, "Resolved")):
        done = agent.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": disposition})
        assert done.status_code == 200, done.text
    assert in_hand(agent) == []
