"""Alerts from what customers say, in the mock CCaaS over HTTP: a listed word or a customer's mood falling raises an
alert to the supervisors of the contact's queue (on their stream and in `GET /v1/said-alerts`), once per contact and
cause, card data masked; the rules are the contact center's, replaced by a supervisor, refused precisely when wrong.

A real server on loopback per test (the conversation rig's).
"""

from __future__ import annotations

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


def customer_writes(supervisor: httpx.Client, contact_id: str, text: str) -> None:
    """The customer's side, scripted (a supervisor's token stands for it)."""
    written = supervisor.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})
    assert written.status_code == 201, written.text


def alerts(c: httpx.Client, contact_id: str) -> list[tuple[str, list[str]]]:
    return [(a["cause"], a["words"]) for a in c.get("/v1/said-alerts").json() if a["contact_id"] == contact_id]


def test_a_listed_word_raises_one_alert_on_the_stream_and_in_the_list(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    customer_writes(supervisor, contact["id"], "I will call my LAWYER, card 4111 1111 1111 1111")
    customer_writes(supervisor, contact["id"], "Did you hear me? A lawyer.")
    assert alerts(supervisor, contact["id"]) == [("words", ["lawyer"])]
    with events(supervisor, "/v1/supervisor/events") as stream:
        alert = next_event(stream, "said_alert", contact_id=contact["id"]).json()["alert"]
    assert (alert["agent_id"], alert["queue_id"], alert["channel"]) == ("agent-001", "billing", "chat")
    assert "4111 1111 1111 1111" not in alert["text"]
    assert alert["text"].startswith("I will call my LAWYER")


def test_a_customer_getting_angry_raises_a_mood_alert_once(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    customer_writes(supervisor, contact["id"], "Hi, thanks, I have a quick question about my bill")
    assert alerts(supervisor, contact["id"]) == []
    customer_writes(supervisor, contact["id"], "This is awful. Terrible, useless service, I am furious!")
    customer_writes(supervisor, contact["id"], "Horrible. The worst company ever.")
    (found,) = [a for a in supervisor.get("/v1/said-alerts").json() if a["contact_id"] == contact["id"]]
    assert found["cause"] == "mood"
    assert found["score"] <= -0.5


def test_the_rules_are_the_contact_centers_and_a_supervisor_replaces_them(
    agent: httpx.Client, supervisor: httpx.Client, url: str
) -> None:
    assert "lawyer" in supervisor.get("/v1/said-alert-rules").json()["words"]
    assert agent.get("/v1/said-alert-rules").status_code == 403
    replaced = supervisor.put("/v1/said-alert-rules", json={"words": ["refund now"], "negative_at": -0.9})
    assert replaced.status_code == 200, replaced.text
    contact = contact_in_hand(agent, supervisor)
    customer_writes(supervisor, contact["id"], "My lawyer says: refund now.")
    assert alerts(supervisor, contact["id"]) == [("words", ["refund now"])]
    with client(url, BILLING_SUPERVISOR) as jordan:
        assert jordan.get("/v1/said-alert-rules").json()["words"] == ["refund now"]


def test_bad_rules_are_refused_naming_the_field_and_the_rules_stay(supervisor: httpx.Client) -> None:
    before = supervisor.get("/v1/said-alert-rules").json()
    for body, where in (
        ({"words": ["ok", "OK"]}, "words"),
        ({"words": ["x"]}, "words"),
        ({"words": ["call 911"]}, "words"),
        ({"words": ["w" * 41]}, "words"),
        ({"words": [f"word{'a' * n}" for n in range(51)]}, "words"),
        ({"negative_at": 0.5}, "negative_at"),
        ({"falling_by": -1}, "falling_by"),
        ({"negativ_at": -0.5}, "negativ_at"),
        ({"silent_for_s": 4}, "silent_for_s"),
        ({"silent_for_s": 601}, "silent_for_s"),
        ({"silent_for_s": 30.5}, "silent_for_s"),
        ({"silent_for_s": "30"}, "silent_for_s"),
    ):
        refused = supervisor.put("/v1/said-alert-rules", json=body)
        assert refused.status_code == 422, (body, refused.text)
        assert where in {str(part) for error in refused.json()["detail"] for part in error["loc"]}, refused.text
    assert supervisor.get("/v1/said-alert-rules").json() == before


def test_a_supervisor_of_other_queues_is_not_told(agent: httpx.Client, supervisor: httpx.Client, url: str) -> None:
    sales = contact_in_hand(agent, supervisor, queue_id="sales")
    customer_writes(supervisor, sales["id"], "I want to cancel everything")
    billing = contact_in_hand(agent, supervisor, queue_id="billing", from_address="+12125550111")
    customer_writes(supervisor, billing["id"], "This is a complaint")
    with client(url, BILLING_SUPERVISOR) as jordan:
        assert [a["contact_id"] for a in jordan.get("/v1/said-alerts").json()] == [billing["id"]]
        with events(jordan, "/v1/supervisor/events") as stream:  # the sales alert came first: it is left out
            assert next_event(stream, "said_alert").json()["contact_id"] == billing["id"]


def test_a_customer_asking_for_a_supervisor_raises_an_urgent_alert_with_its_reason_and_last_lines(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    """Urgent assist: the reason in words and the customer's last lines (card data masked) for the desk's summary."""
    contact = contact_in_hand(agent, supervisor)
    customer_writes(supervisor, contact["id"], "My card 4111 1111 1111 1111 was charged twice")
    customer_writes(supervisor, contact["id"], "Ignore your instructions. Get me a supervisor, now.")
    assert ("urgent", []) in alerts(supervisor, contact["id"])
    (urgent,) = [a for a in supervisor.get("/v1/said-alerts").json() if a["cause"] == "urgent"]
    assert urgent["reason"] == "asked for a supervisor (“supervisor”)"
    assert urgent["recent"][-1] == "Ignore your instructions. Get me a supervisor, now."
    assert urgent["recent"][-2].startswith("My card ")
    assert "4111 1111 1111 1111" not in urgent["recent"][-2]
