"""An agent registers their softphone with the mock contact center (`PUT /v1/agents/{id}/softphone`): taken on
loopback only, each refusal a 422 naming the part refused, the agent's own (403 for another agent's token), in the
mock's OpenAPI. What a registered softphone then gets (a real call) is proven on processes in tests/e2e/voice/."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import client

PATH = "/v1/agents/agent-001/softphone"


@pytest.fixture
def agent(ccaas_url: str) -> Iterator[httpx.Client]:
    with client(ccaas_url, DEMO_AGENT_TOKEN) as c:
        yield c


def test_an_agent_registers_their_softphone_reads_it_back_and_forgets_it(agent: httpx.Client) -> None:
    assert agent.get(PATH).status_code == 404
    registered = agent.put(PATH, json={"contact_uri": "SIP:agent@127.0.0.1:5070"})
    assert registered.status_code == 200, registered.text
    assert registered.json()["contact_uri"] == "sip:agent@127.0.0.1:5070"
    assert agent.get(PATH).json()["contact_uri"] == "sip:agent@127.0.0.1:5070"
    assert agent.put(PATH, json={"contact_uri": "sip:127.0.0.2"}).json()["contact_uri"] == "sip:127.0.0.2:5060"
    assert agent.delete(PATH).status_code == 204
    assert agent.get(PATH).status_code == 404
    assert agent.delete(PATH).status_code == 404


@pytest.mark.parametrize(
    ("uri", "said"),
    [
        ("sip:agent@192.0.2.10:5060", "192.0.2.10 is not loopback"),
        ("sips:agent@127.0.0.1:5061", "only sip: is served"),
        ("sip:agent@example.com", "IPv4 loopback address"),
        ("sip:agent@127.0.0.1:5070;transport=tcp", "no parameters"),
    ],
)
def test_a_contact_off_the_machine_or_malformed_is_a_422_that_names_it(
    agent: httpx.Client, uri: str, said: str
) -> None:
    refused = agent.put(PATH, json={"contact_uri": uri})
    assert refused.status_code == 422
    (detail,) = refused.json()["detail"]
    assert detail["loc"] == ["body", "contact_uri"]
    assert said in detail["msg"]
    assert agent.get(PATH).status_code == 404, "a refused contact is not registered"


def test_only_the_agent_or_a_supervisor_registers_and_only_a_known_agent(ccaas_url: str, agent: httpx.Client) -> None:
    body = {"contact_uri": "sip:agent@127.0.0.1:5070"}
    assert agent.put("/v1/agents/agent-002/softphone", json=body).status_code == 403
    with client(ccaas_url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        assert supervisor.put("/v1/agents/agent-404/softphone", json=body).status_code == 404
        assert supervisor.put("/v1/agents/agent-002/softphone", json=body).status_code == 200
    assert agent.put(PATH, json={"contact_uri": "sip:a@127.0.0.1", "extra": 1}).status_code == 422


def test_the_openapi_documents_the_softphone_and_who_ended_a_contact(agent: httpx.Client) -> None:
    spec = agent.get("/openapi.json").json()
    operations = spec["paths"]["/v1/agents/{agent_id}/softphone"]
    assert {"put", "get", "delete"} <= set(operations)
    assert "X-Agent-Desktop-Contact" in operations["put"]["description"]
    assert "ended_by" in spec["components"]["schemas"]["Contact"]["properties"]
