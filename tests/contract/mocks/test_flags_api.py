"""Help from the supervisor in the mock CCaaS over HTTP: a flag raised on a contact in hand, its private
thread and its close as events on the agent's stream and the supervisor stream (never a supervisor's of another
queue), the precise refusals, a flag closed with its contact, and broadcasts to a queue's agents until they expire.

A real server on loopback per test (the conversation rig's).
"""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.contract.mocks.test_ccaas_api import client, events
from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    agent,
    contact_in_hand,
    next_event,
    supervisor,
    url,
)

BILLING_SUPERVISOR = "supervisor-billing-token"  # Jordan Blake, billing only (floor.toml)


def raise_flag(c: httpx.Client, contact_id: str, text: str = "Customer asks for a manager") -> httpx.Response:
    return c.post(f"/v1/contacts/{contact_id}/flags", json={"text": text})


def test_a_flag_is_raised_answered_and_closed_on_both_streams(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    raised = raise_flag(agent, contact["id"], "Refund over my limit: card 4111 1111 1111 1111")
    assert raised.status_code == 201, raised.text
    flag = raised.json()
    assert (flag["state"], flag["agent_id"], flag["queue_id"]) == ("open", "agent-001", "billing")
    assert "4111 1111 1111 1111" not in flag["lines"][0]["text"]  # card data masked before it is kept
    assert [f["id"] for f in supervisor.get("/v1/flags").json()] == [flag["id"]]
    answered = supervisor.post(f"/v1/flags/{flag['id']}/lines", json={"text": "Approved, go ahead"})
    assert [(line["author"], line["name"]) for line in answered.json()["lines"]] == [
        ("agent", "Alex Morgan"),
        ("supervisor", "Riley Chen"),
    ]
    assert agent.post(f"/v1/flags/{flag['id']}/lines", json={"text": "Thanks"}).status_code == 200
    closed = supervisor.post(f"/v1/flags/{flag['id']}/close")
    assert (closed.json()["state"], closed.json()["closed_by"]) == ("closed", "Riley Chen")
    assert supervisor.get("/v1/flags").json() == []  # the supervisor's queue holds open flags only
    for c, path in ((agent, "/v1/agents/agent-001/events"), (supervisor, "/v1/supervisor/events")):
        with events(c, path) as stream:
            assert next_event(stream, "flag_raised", contact_id=contact["id"]).json()["flag"]["id"] == flag["id"]
            line = next_event(stream, "flag_line", contact_id=contact["id"]).json()["flag"]["lines"][-1]
            assert line["text"] == "Approved, go ahead"
            next_event(stream, "flag_line", contact_id=contact["id"])
            assert next_event(stream, "flag_closed", contact_id=contact["id"]).json()["flag"]["state"] == "closed"


def test_a_supervisor_of_other_queues_neither_sees_nor_answers_the_flag(
    agent: httpx.Client, supervisor: httpx.Client, url: str
) -> None:
    sales = contact_in_hand(agent, supervisor, queue_id="sales")
    sales_flag = raise_flag(agent, sales["id"]).json()
    billing = contact_in_hand(agent, supervisor, queue_id="billing", from_address="+12125550111")
    billing_flag = raise_flag(agent, billing["id"]).json()
    with client(url, BILLING_SUPERVISOR) as jordan:
        assert [f["id"] for f in jordan.get("/v1/flags").json()] == [billing_flag["id"]]
        refused = jordan.post(f"/v1/flags/{sales_flag['id']}/lines", json={"text": "Looking"})
        assert refused.status_code == 403
        assert "outside your queues (billing)" in refused.json()["detail"]
        assert jordan.post(f"/v1/flags/{sales_flag['id']}/close").status_code == 403
        with events(jordan, "/v1/supervisor/events") as stream:  # the sales flag came first: it is left out
            assert next_event(stream, "flag_raised").json()["flag"]["id"] == billing_flag["id"]


def test_the_refusals_are_precise(agent: httpx.Client, supervisor: httpx.Client, url: str) -> None:
    contact = contact_in_hand(agent, supervisor)
    assert raise_flag(agent, contact["id"], "").status_code == 422
    assert raise_flag(agent, contact["id"], "x" * 501).status_code == 422
    assert raise_flag(supervisor, contact["id"]).status_code == 403
    with client(url, "agent-002-token") as other:
        assert raise_flag(other, contact["id"]).status_code == 403
    flag = raise_flag(agent, contact["id"]).json()
    again = raise_flag(agent, contact["id"])
    assert again.status_code == 409
    assert again.json()["state"] == "flagged"
    assert agent.post("/v1/flags/f-999999/lines", json={"text": "?"}).status_code == 404
    assert agent.post(f"/v1/flags/{flag['id']}/close").status_code == 200
    late = supervisor.post(f"/v1/flags/{flag['id']}/lines", json={"text": "Here"})
    assert late.status_code == 409
    assert late.json()["state"] == "closed"
    assert agent.post(f"/v1/contacts/{contact['id']}/end").status_code == 200
    assert agent.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"}).status_code == 200
    done = raise_flag(agent, contact["id"])
    assert done.status_code == 409
    assert done.json()["state"] == "completed"


def test_a_flag_still_open_is_closed_with_its_contact(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor, channel="voice")
    flag = raise_flag(agent, contact["id"]).json()
    agent.post(f"/v1/contacts/{contact['id']}/end")
    assert supervisor.get("/v1/flags").json()[0]["id"] == flag["id"]  # help during after-contact work still counts
    agent.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"})
    assert supervisor.get("/v1/flags").json() == []
    (mine,) = [f for f in agent.get("/v1/flags").json() if f["id"] == flag["id"]]
    assert (mine["state"], mine["closed_by"]) == ("closed", "contact_ended")


def test_a_broadcast_reaches_the_queues_agents_until_it_expires(
    agent: httpx.Client, supervisor: httpx.Client, url: str
) -> None:
    sent = supervisor.post(
        "/v1/broadcasts", json={"text": "Outage in the north: use macro 12", "minutes": 10, "queue_id": "billing"}
    )
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert "agent-001" in body["agent_ids"]
    minutes = (datetime.fromisoformat(body["expires_at"]) - datetime.fromisoformat(body["sent_at"])).total_seconds()
    assert minutes == 600
    with events(agent, "/v1/agents/agent-001/events") as stream:
        told = next_event(stream, "broadcast").json()["broadcast"]
    assert (told["text"], told["supervisor_name"], told["agent_ids"]) == (body["text"], "Riley Chen", [])
    with client(url, BILLING_SUPERVISOR) as jordan:
        refused = jordan.post("/v1/broadcasts", json={"text": "Hi", "minutes": 5, "queue_id": "sales"})
        assert refused.status_code == 403
        assert "outside your queues" in refused.json()["detail"]
        assert jordan.post("/v1/broadcasts", json={"text": "Hi", "minutes": 5}).status_code == 201  # their team
    assert agent.post("/v1/broadcasts", json={"text": "Hi", "minutes": 5}).status_code == 403
    assert supervisor.post("/v1/broadcasts", json={"text": "Hi", "minutes": 0}).status_code == 422
    assert supervisor.post("/v1/broadcasts", json={"text": "Hi", "minutes": 5, "queue_id": "nope"}).status_code == 404


def test_a_card_number_split_over_two_lines_of_the_thread_is_masked_in_both(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    flag = raise_flag(agent, contact["id"], "Customer read me their card 4111 1111").json()
    assert supervisor.post(f"/v1/flags/{flag['id']}/lines", json={"text": "Which one?"}).status_code == 200
    agent.post(f"/v1/flags/{flag['id']}/lines", json={"text": "1111 1111"})
    (thread,) = supervisor.get("/v1/flags").json()
    texts = [line["text"] for line in thread["lines"]]
    assert texts[1] == "Which one?"
    assert not any("1111" in text for text in texts), texts
    assert texts[0].startswith("Customer read me their card ••••")
    assert texts[2] == "••••"


def test_a_line_of_only_spaces_or_invisible_characters_is_refused(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    for blank in ("   ", "\n\t ", "\u200b\u2060 "):
        refused = raise_flag(agent, contact["id"], blank)
        assert refused.status_code == 422, refused.text
        assert "not only spaces" in refused.text, refused.text
    flag = raise_flag(agent, contact["id"]).json()
    refused = agent.post(f"/v1/flags/{flag['id']}/lines", json={"text": "  \u3000 "})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "text"]
    assert len(supervisor.get("/v1/flags").json()[0]["lines"]) == 1, "nothing added"
