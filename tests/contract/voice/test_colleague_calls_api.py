"""A call to a colleague of the directory, at the mock contact center over HTTP: each refusal a precise 4xx with its
reason (an address that is no softphone's, no softphone registered for it, the colleague already on an internal call,
the agent offline or on another call), nothing placed; a call placed in the agent's hands at once, named for the
colleague, wrapped up like any call. One server for the module (a real one on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import client, serving
from tests.support.conversation_rig import settings_for

INTERNAL = "/v1/agents/agent-001/calls/internal"
JANE = {"address": "sip:jane.doe@example.com", "name": "Jane Doe", "queue_id": "billing"}
SOFTPHONES = "/v1/colleagues/softphone"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    folder: Path = tmp_path_factory.mktemp("colleague-calls")
    with serving(settings_for(folder)) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        yield agent, supervisor


def in_hand(agent: httpx.Client) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = agent.get("/v1/agents/agent-001/contacts").json()
    return listed


def test_each_refusal_is_a_precise_4xx_and_nothing_is_placed(served: tuple[httpx.Client, httpx.Client]) -> None:
    agent, supervisor = served
    assert (
        supervisor.put(SOFTPHONES, json={"address": JANE["address"], "contact_uri": "sip:jane@10.0.0.5"}).status_code
        == 422
    )
    assert (
        agent.put(SOFTPHONES, json={"address": JANE["address"], "contact_uri": "sip:j@127.0.0.1:5080"}).status_code
        == 403
    )
    offline = agent.post(INTERNAL, json=JANE)
    assert offline.status_code == 404, "no softphone registered for the address: nobody to ring"
    assert offline.json()["detail"] == "Jane Doe has no softphone registered with the contact center"
    registered = supervisor.put(SOFTPHONES, json={"address": JANE["address"], "contact_uri": "sip:jane@127.0.0.1:5080"})
    assert registered.status_code == 200, registered.text
    signed_out = agent.post(INTERNAL, json=JANE)
    assert signed_out.status_code == 409, signed_out.text
    assert "offline" in signed_out.json()["detail"]
    assert agent.put("/v1/agents/agent-001/state", json={"state": "not_ready", "reason": "Break"}).status_code == 200
    for address in ("tel:+15125550199", "sip:jane doe@example.com", "sip:[@click=app.quit]@example.com", "jane"):
        refused = agent.post(INTERNAL, json={**JANE, "address": address})
        assert refused.status_code == 422, (address, refused.text)
        assert refused.json()["detail"][0]["loc"] == ["body", "address"], address
    assert agent.post(INTERNAL, json={**JANE, "name": ""}).status_code == 422
    assert agent.post(INTERNAL, json={**JANE, "queue_id": "nowhere"}).status_code == 404
    assert supervisor.post(INTERNAL, json=JANE).status_code == 403, "an agent places their own calls"
    assert in_hand(agent) == [], "a refused call is placed nowhere"


def test_a_colleague_called_is_in_hand_named_and_busy_to_a_second_call(
    served: tuple[httpx.Client, httpx.Client],
) -> None:
    agent, supervisor = served
    supervisor.put(SOFTPHONES, json={"address": JANE["address"], "contact_uri": "sip:jane@127.0.0.1:5080"})
    agent.put("/v1/agents/agent-001/state", json={"state": "not_ready", "reason": "Break"})
    placed = agent.post(INTERNAL, json=JANE)
    assert placed.status_code == 201, placed.text
    call = placed.json()
    assert (call["state"], call["direction"], call["channel"], call["colleague"]) == (
        "connected",
        "outbound",
        "voice",
        "Jane Doe",
    )
    assert (call["from_address"], call["caller_id"], call["queue_id"]) == (JANE["address"], None, "billing")
    assert call["dial_uri"] is None, "no softphone of the agent's registered: no leg to dial"
    on_a_call = agent.post(INTERNAL, json=JANE)
    assert on_a_call.status_code == 409, on_a_call.text
    assert on_a_call.json()["detail"].startswith(f"your call with {JANE['address']} ({call['id']}) is connected")
    assert agent.post(f"/v1/contacts/{call['id']}/hold").status_code == 200
    busy = agent.post(INTERNAL, json=JANE)
    assert busy.status_code == 409, busy.text
    assert busy.json()["detail"] == "Jane Doe is on another call through the contact center: try again later"
    assert agent.post(f"/v1/contacts/{call['id']}/resume").status_code == 200
    assert agent.post(f"/v1/contacts/{call['id']}/end").status_code == 200
    done = agent.post(f"/v1/contacts/{call['id']}/complete", json={"disposition": "Resolved"})
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "completed"
    assert in_hand(agent) == []
    forgotten = supervisor.delete(SOFTPHONES, params={"address": JANE["address"]})
    assert forgotten.status_code == 204
    assert agent.post(INTERNAL, json=JANE).status_code == 404, "forgotten: no softphone to ring again"
