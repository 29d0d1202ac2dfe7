"""Supervisors on contacts in the mock CCaaS over HTTP: participants with roles and modes, join, mode
change and leave as events, who may (403 with the reason), whispers kept from the customer, barge messages
under the supervisor's name, the announce policy, and sessions taken up again after a restart.

A real server on loopback per test, simulated customers sped up (`speed`).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.contract.mocks.test_ccaas_api import client, events, serving
from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    agent,
    contact_in_hand,
    next_event,
    send,
    settings_for,
    supervisor,
    transcript,
    url,
)

BILLING_SUPERVISOR = "supervisor-billing-token"  # Jordan Blake, billing only (floor.toml)


def join(c: httpx.Client, contact_id: str, mode: str = "monitor") -> httpx.Response:
    return c.put(f"/v1/contacts/{contact_id}/monitoring", json={"mode": mode})


def participants(c: httpx.Client, contact_id: str) -> list[tuple[str, str, str | None]]:
    response = c.get(f"/v1/contacts/{contact_id}/participants")
    assert response.status_code == 200, response.text
    return [(p["role"], p["name"], p["mode"]) for p in response.json()["participants"]]


def test_a_supervisor_joins_changes_mode_and_leaves_as_participant_events(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    joined = join(supervisor, contact["id"])
    assert joined.status_code == 200, joined.text
    assert (joined.json()["mode"], joined.json()["supervisor_name"]) == ("monitor", "Riley Chen")
    roles = participants(supervisor, contact["id"])
    assert [r for r, _, _ in roles] == ["customer", "agent", "supervisor"]
    assert roles[2][1:] == ("Riley Chen", "monitor")
    assert join(supervisor, contact["id"], "whisper").json()["mode"] == "whisper"
    assert supervisor.delete(f"/v1/contacts/{contact['id']}/monitoring").status_code == 204
    assert [r for r, _, _ in participants(supervisor, contact["id"])] == ["customer", "agent"]
    with events(supervisor, "/v1/supervisor/monitoring/events") as stream:
        first = next_event(stream, "supervisor_joined", contact_id=contact["id"]).json()
        changed = next_event(stream, "supervisor_mode_changed", contact_id=contact["id"]).json()
        left = next_event(stream, "supervisor_left", contact_id=contact["id"]).json()
    assert (first["mode"], changed["previous_mode"], changed["mode"]) == ("monitor", "monitor", "whisper")
    assert (left["mode"], left["previous_mode"], left["reason"]) == (None, "whisper", "left")


def test_an_agent_token_cannot_monitor_whisper_or_barge(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    for response in (
        join(agent, contact["id"]),
        agent.post(f"/v1/contacts/{contact['id']}/whispers", json={"text": "psst"}),
        agent.post(f"/v1/contacts/{contact['id']}/supervisor-messages", json={"text": "hello"}),
        agent.get("/v1/supervisor/monitoring/events"),
    ):
        assert response.status_code == 403, response.text
        assert "supervisor" in response.json()["detail"], response.text


def test_a_supervisor_cannot_monitor_a_queue_outside_their_own(
    agent: httpx.Client, supervisor: httpx.Client, url: str
) -> None:
    sales = contact_in_hand(agent, supervisor, queue_id="sales")
    with client(url, BILLING_SUPERVISOR) as jordan:
        refused = join(jordan, sales["id"])
        assert refused.status_code == 403
        assert "Sales queue, outside your queues (billing)" in refused.json()["detail"]
        assert jordan.get(f"/v1/contacts/{sales['id']}/participants").status_code == 403
        billing = contact_in_hand(agent, supervisor, queue_id="billing", from_address="+12125550111")
        assert join(jordan, billing["id"]).json()["supervisor_name"] == "Jordan Blake"


def test_only_a_contact_in_progress_can_be_monitored(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor, channel="voice")
    assert agent.post(f"/v1/contacts/{contact['id']}/end").status_code == 200
    refused = join(supervisor, contact["id"])
    assert refused.status_code == 409
    assert refused.json()["state"] == "after_contact_work"
    assert supervisor.get("/v1/contacts/c-999999/participants").status_code == 404


def test_a_whisper_reaches_the_agent_and_never_the_customer_masked(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    join(supervisor, contact["id"])
    said = supervisor.post(
        f"/v1/contacts/{contact['id']}/whispers", json={"text": "Offer the refund, card 4111 1111 1111 1111"}
    )
    assert said.status_code == 201, said.text
    item = said.json()
    assert (item["kind"], item["role"], item["display_name"]) == ("whisper", "supervisor", "Riley Chen")
    assert "4111 1111 1111 1111" not in item["text"]
    assert "1111" in item["text"]
    assert participants(supervisor, contact["id"])[-1][2] == "whisper"  # monitoring became whisper
    assert any(i["kind"] == "whisper" for i in transcript(agent, contact["id"]))
    with events(agent, "/v1/agents/agent-001/events") as stream:
        seen = next_event(stream, "message", contact_id=contact["id"]).json()
        while seen["item"]["kind"] != "whisper":
            seen = next_event(stream, "message", contact_id=contact["id"]).json()
    assert seen["item"]["id"] == item["id"]
    view = supervisor.get(f"/v1/contacts/{contact['id']}/customer-view").json()
    assert all(i["kind"] != "whisper" for i in view["items"])
    assert "Riley Chen" not in view["participants"]


def test_a_barge_message_reaches_the_customer_under_the_supervisor_s_name(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    join(supervisor, contact["id"])
    said = supervisor.post(f"/v1/contacts/{contact['id']}/supervisor-messages", json={"text": "I am the team lead."})
    assert said.status_code == 201, said.text
    view = supervisor.get(f"/v1/contacts/{contact['id']}/customer-view").json()
    assert ("supervisor", "Riley Chen", "I am the team lead.") in [
        (i["role"], i["display_name"], i["text"]) for i in view["items"]
    ]
    assert "Riley Chen joined the conversation" in [i["text"] for i in view["items"]]
    indexes = [i["index"] for i in transcript(agent, contact["id"])]
    assert indexes == list(range(len(indexes))), "the join and the message each have their own place"
    assert "Riley Chen" in view["participants"]
    assert ("agent", "Alex Morgan") in [(r, n) for r, n, _ in participants(agent, contact["id"])]
    assert ("supervisor", "Riley Chen", "barge") in participants(agent, contact["id"])  # a barge is never silent


def test_silent_monitoring_is_hidden_from_the_agent_unless_the_policy_announces_it(tmp_path: Path) -> None:
    for announce in (False, True):
        settings = settings_for(tmp_path / str(announce)).model_copy(update={"announce_monitoring": announce})
        with serving(settings) as url, client(url) as agent, client(url, "demo-supervisor-token") as supervisor:
            contact = contact_in_hand(agent, supervisor)
            join(supervisor, contact["id"])
            seen = [r for r, _, _ in participants(agent, contact["id"])]
            assert ("supervisor" in seen) is announce
            with events(agent, "/v1/agents/agent-001/events", read_s=1) as stream:
                types = []
                try:
                    for event in stream:
                        types.append(event.event)
                except httpx.ReadTimeout:
                    pass
            assert ("supervisor_joined" in types) is announce
            # the customer is never told of a silent supervisor, and gets no read receipt from one
            view = supervisor.get(f"/v1/contacts/{contact['id']}/customer-view").json()
            assert view["participants"] == [view["participants"][0], "Alex Morgan"]
            assert view["read_up_to_item_id"] is None


def test_the_contact_ending_ends_its_monitoring(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    join(supervisor, contact["id"], "barge")
    assert agent.post(f"/v1/contacts/{contact['id']}/end").status_code == 200
    assert supervisor.get("/v1/supervisor/monitoring").json() == []
    with events(supervisor, "/v1/supervisor/monitoring/events") as stream:
        left = next_event(stream, "supervisor_left", contact_id=contact["id"]).json()
    assert (left["reason"], left["previous_mode"]) == ("contact_ended", "barge")


def test_monitoring_is_in_the_event_log_and_taken_up_after_a_restart(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with serving(settings) as url, client(url) as agent, client(url, "demo-supervisor-token") as supervisor:
        contact = contact_in_hand(agent, supervisor)
        join(supervisor, contact["id"], "whisper")
        other = contact_in_hand(agent, supervisor, channel="sms", from_address="+12125550122")
        join(supervisor, other["id"])
    with (
        serving(settings.model_copy(update={"fresh": False})) as url,
        client(url, "demo-supervisor-token") as supervisor,
    ):
        kept = {(s["contact_id"], s["mode"]) for s in supervisor.get("/v1/supervisor/monitoring").json()}
        assert kept == {(contact["id"], "whisper"), (other["id"], "monitor")}
        with events(supervisor, "/v1/supervisor/monitoring/events") as stream:
            assert next_event(stream, "supervisor_joined", contact_id=contact["id"]).json()["mode"] == "whisper"
        said = supervisor.post(f"/v1/contacts/{contact['id']}/whispers", json={"text": "still here"})
        assert said.status_code == 201, said.text
