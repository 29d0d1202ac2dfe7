"""A supervisor takes a call over at the mock contact center (docs/mock-apis.md "Monitoring"): the
supervisor on the call, with a softphone registered, takes it; the agent's part ends as a take-over and goes to their
wrap-up, naming the supervisor. Anything else is refused with a reason the supervisor can act on."""

from __future__ import annotations

import httpx

from tests.contract.mocks.test_ccaas_api import agent, supervisor

__all__ = ["agent", "supervisor"]  # the mock's demo agent and supervisor, as fixtures
from tests.support.conversation_rig import contact_in_hand

SUPERVISORS_PHONE = {"contact_uri": "sip:supervisor@127.0.0.1:5999"}


def test_the_supervisor_on_a_call_takes_it_over_and_the_agent_wraps_it_up(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    call = contact_in_hand(agent, supervisor, channel="voice")
    takeover = f"/v1/contacts/{call['id']}/monitoring/takeover"
    not_on_it = supervisor.post(takeover)
    assert not_on_it.status_code == 409, not_on_it.text
    assert not_on_it.json()["state"] == "not_monitoring"
    assert "monitor it first" in not_on_it.json()["detail"]

    assert supervisor.put(f"/v1/contacts/{call['id']}/monitoring", json={"mode": "monitor"}).status_code == 200
    no_phone = supervisor.post(takeover)
    assert no_phone.status_code == 409, no_phone.text
    assert no_phone.json()["state"] == "no_softphone"
    assert agent.get(f"/v1/contacts/{call['id']}").json()["state"] == "connected", "a refusal changed the call"

    registered = supervisor.put("/v1/supervisor/softphone", json=SUPERVISORS_PHONE)
    assert registered.status_code == 200, registered.text
    taken = supervisor.post(takeover)
    assert taken.status_code == 200, taken.text
    seen = agent.get(f"/v1/contacts/{call['id']}").json()  # what the agent's desk reads
    assert (seen["state"], seen["ended_by"]) == ("after_contact_work", "takeover")
    assert (seen["taken_over_by"]["supervisor_id"], seen["taken_over_by"]["name"]) == ("supervisor", "Riley Chen")
    assert supervisor.get("/v1/supervisor/monitoring").json() == [], "the supervisor is no longer monitoring it"

    again = supervisor.post(takeover)
    assert again.status_code == 409
    assert again.json()["detail"] == "contact is after_contact_work: only a call in progress can be taken over"


def test_a_chat_is_not_taken_over_and_an_agent_cannot_take_over(agent: httpx.Client, supervisor: httpx.Client) -> None:
    chat = contact_in_hand(agent, supervisor, channel="chat")
    assert supervisor.put("/v1/supervisor/softphone", json=SUPERVISORS_PHONE).status_code == 200
    assert supervisor.put(f"/v1/contacts/{chat['id']}/monitoring", json={"mode": "monitor"}).status_code == 200
    refused = supervisor.post(f"/v1/contacts/{chat['id']}/monitoring/takeover")
    assert refused.status_code == 422, refused.text
    assert "only a call is taken over" in refused.text
    assert agent.post(f"/v1/contacts/{chat['id']}/monitoring/takeover").status_code == 403
    assert agent.put("/v1/supervisor/softphone", json=SUPERVISORS_PHONE).status_code == 403


def test_a_supervisors_softphone_is_their_own_and_loopback_only(supervisor: httpx.Client) -> None:
    assert supervisor.get("/v1/supervisor/softphone").status_code == 404
    outside = supervisor.put("/v1/supervisor/softphone", json={"contact_uri": "sip:supervisor@10.0.0.5:5060"})
    assert outside.status_code == 422, outside.text
    assert supervisor.put("/v1/supervisor/softphone", json=SUPERVISORS_PHONE).status_code == 200
    assert supervisor.get("/v1/supervisor/softphone").json()["contact_uri"] == "sip:supervisor@127.0.0.1:5999"
    assert supervisor.delete("/v1/supervisor/softphone").status_code == 204
    assert supervisor.get("/v1/supervisor/softphone").status_code == 404
