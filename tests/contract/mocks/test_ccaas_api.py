"""The mock CCaaS over HTTP: a real server on loopback, driven the way the desktop and a supervisor would."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent, connect_sse
from pydantic import TypeAdapter

from agent_desktop.domain.models import ContactCenterEvent, Offer, OfferEvent, Queue, QueueStats
from agent_desktop.domain.supervisor.said_alerts import SaidAlertEvent
from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread

AGENT = "/v1/agents/agent-001"
EVENT = TypeAdapter(ContactCenterEvent)


def client(url: str, token: str | None = DEMO_AGENT_TOKEN) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=url, headers=headers, timeout=5)


@pytest.fixture
def agent(ccaas_url: str) -> Iterator[httpx.Client]:
    with client(ccaas_url) as c:
        yield c


@pytest.fixture
def supervisor(ccaas_url: str) -> Iterator[httpx.Client]:
    with client(ccaas_url, DEMO_SUPERVISOR_TOKEN) as c:
        yield c


@contextmanager
def serving(settings: MockSettings) -> Iterator[str]:
    running = serve_in_thread([create_app(settings)])
    try:
        yield running.urls[0]
    finally:
        running.stop()


@contextmanager
def events(
    c: httpx.Client, path: str, last_event_id: str | None = "0", read_s: float = 5
) -> Iterator[Iterator[ServerSentEvent]]:
    """The stream's events (from the start by default: no race with what the test does next)."""
    headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
    timeout = httpx.Timeout(5, read=read_s)
    with connect_sse(c, "GET", path, headers=headers, timeout=timeout) as source:
        assert source.response.status_code == 200
        yield source.iter_sse()


def next_matching(stream: Iterator[ServerSentEvent], type_: str, **where: object) -> ServerSentEvent:
    """The next event of that type whose payload object has the given fields."""
    key = {"agent_state": "agent", "offer": "offer", "offer_closed": "offer", "contact": "contact"}[type_]
    for event in stream:
        if event.event == type_ and all(event.json()[key].get(k) == v for k, v in where.items()):
            return event
    raise AssertionError(f"stream ended without a {type_} event")


def new_contact(supervisor: httpx.Client, queue_id: str = "billing", **fields: object) -> dict[str, Any]:
    body = {"queue_id": queue_id, "channel": "voice", "from_address": "(212) 555-0100", **fields}
    response = supervisor.post("/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    contact: dict[str, Any] = response.json()
    return contact


def go_available(c: httpx.Client, agent_id: str = "agent-001") -> None:
    response = c.put(f"/v1/agents/{agent_id}/state", json={"state": "available", "reason": None})
    assert response.status_code == 200, response.text
    assert response.json()["state"] in ("available", "offered")  # an offer may follow at once


def pending_offer(c: httpx.Client, agent_id: str = "agent-001") -> dict[str, Any]:
    offers: list[dict[str, Any]] = c.get(f"/v1/agents/{agent_id}/offers").json()
    assert len(offers) == 1, offers
    return offers[0]


def stats(c: httpx.Client, queue_id: str) -> dict[str, Any]:
    all_stats: list[dict[str, Any]] = c.get("/v1/queues/stats").json()
    return next(s for s in all_stats if s["queue_id"] == queue_id)


# --- the basics -----------------------------------------------------------------------


def test_health_docs_and_queues(ccaas_url: str, agent: httpx.Client) -> None:
    with client(ccaas_url, None) as anonymous:
        assert anonymous.get("/healthz").json() == {"status": "ok"}
        schema = anonymous.get("/openapi.json")
        assert anonymous.get("/docs").status_code == 200
    assert schema.status_code == 200
    assert "/v1/offers/{offer_id}/accept" in schema.json()["paths"]
    assert "service level" in schema.json()["info"]["description"].lower()

    queues = TypeAdapter(list[Queue]).validate_python(agent.get("/v1/queues").json())
    assert [q.id for q in queues] == ["billing", "tech_support", "sales"]
    assert "Payment arrangement" in queues[0].dispositions
    assert queues[0].acw_timeout_s == 60
    all_stats = TypeAdapter(list[QueueStats]).validate_python(agent.get("/v1/queues/stats").json())
    assert all_stats[0].waiting == 0
    assert all_stats[0].service_level_pct is None
    assert all_stats[0].agents_by_state["offline"] == 5  # the demo agent and four simulated ones do billing


def test_tokens_are_required(ccaas_url: str) -> None:
    with client(ccaas_url, None) as anonymous, client(ccaas_url, "not-a-token") as stranger:
        assert anonymous.get(AGENT).status_code == 401
        assert stranger.get(AGENT).status_code == 401
        assert stranger.get("/v1/queues").status_code == 401


def test_other_agents_resources_are_forbidden(ccaas_url: str, agent: httpx.Client, supervisor: httpx.Client) -> None:
    with client(ccaas_url, "agent-002-token") as other:
        assert other.get(AGENT).status_code == 403
        assert other.put(f"{AGENT}/state", json={"state": "available"}).status_code == 403
        assert other.get(f"{AGENT}/offers").status_code == 403
        assert other.get("/v1/agents/agent-002").json()["state"] == "offline"
        assert other.get("/v1/queues").status_code == 200
    assert agent.get("/v1/agents/agent-002").status_code == 403
    body = {"queue_id": "sales", "channel": "chat", "from_address": "a@b.c"}
    assert agent.post("/v1/contacts", json=body).status_code == 403
    assert agent.get("/v1/supervisor/events").status_code == 403
    assert supervisor.get(AGENT).json()["name"] == "Alex Morgan"
    assert supervisor.get("/v1/agents/agent-999").status_code == 404


def test_state_changes_and_reasons(agent: httpx.Client) -> None:
    response = agent.put(f"{AGENT}/state", json={"state": "not_ready", "reason": "Lunch"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reason"]) == ("not_ready", "Lunch")

    assert agent.put(f"{AGENT}/state", json={"state": "not_ready", "reason": "Nap"}).status_code == 422
    assert agent.put(f"{AGENT}/state", json={"state": "not_ready"}).status_code == 422
    assert agent.put(f"{AGENT}/state", json={"state": "busy"}).status_code == 422
    assert agent.get(AGENT).json()["reason"] == "Lunch"

    go_available(agent)
    assert agent.get(AGENT).json()["reason"] is None
    assert agent.put(f"{AGENT}/state", json={"state": "offline"}).json()["state"] == "offline"


# --- offers and contacts -------------------------------------------------------------------


def test_injected_contact_is_offered_on_the_agents_stream(agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    with events(agent, f"{AGENT}/events") as stream:
        contact = new_contact(supervisor, subject="Charged twice")
        event = next_matching(stream, "offer")
    parsed = EVENT.validate_json(event.data)
    assert isinstance(parsed, OfferEvent)
    assert parsed.offer.contact.id == contact["id"]
    assert parsed.offer.state == "pending"
    assert parsed.offer.contact.subject == "Charged twice"
    assert parsed.offer.contact.queue_name == "Billing"
    assert 19 <= (parsed.offer.expires_at - parsed.offer.offered_at).total_seconds() <= 21
    assert event.id
    assert int(event.id) > 0
    assert agent.get(AGENT).json()["state"] == "offered"
    # the agent cannot step away with an offer pending
    refused = agent.put(f"{AGENT}/state", json={"state": "not_ready", "reason": "Break"})
    assert refused.status_code == 409
    assert refused.json()["state"] == "offered"


def test_accept_connects_once(agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    contact = new_contact(supervisor)
    offer = Offer.model_validate(pending_offer(agent))

    accepted = agent.post(f"/v1/offers/{offer.id}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "connected"
    assert accepted.json()["answered_at"]
    assert agent.get(AGENT).json()["state"] == "busy"
    assert [c["id"] for c in agent.get(f"{AGENT}/contacts").json()] == [contact["id"]]
    assert agent.get(f"{AGENT}/offers").json() == []

    again = agent.post(f"/v1/offers/{offer.id}/accept")
    assert again.status_code == 409
    assert again.json() == {"detail": "offer is accepted", "state": "accepted"}
    busy = agent.put(f"{AGENT}/state", json={"state": "offline"})
    assert busy.status_code == 409
    assert busy.json()["state"] == "busy"


def test_only_the_offered_agent_may_answer(ccaas_url: str, agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    new_contact(supervisor)
    offer = pending_offer(agent)
    with client(ccaas_url, "agent-002-token") as other:
        assert other.post(f"/v1/offers/{offer['id']}/accept").status_code == 403
    assert supervisor.post(f"/v1/offers/{offer['id']}/reject").status_code == 403
    assert agent.post("/v1/offers/o-999999/accept").status_code == 404
    assert agent.post("/v1/contacts/c-999999/end").status_code == 404
    assert pending_offer(agent)["state"] == "pending"


def test_reject_requeues_at_its_place_and_reoffers(agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    contact = new_contact(supervisor)
    offer = pending_offer(agent)

    rejected = agent.post(f"/v1/offers/{offer['id']}/reject")
    assert rejected.status_code == 200
    assert rejected.json()["state"] == "rejected"
    me = agent.get(AGENT).json()
    assert (me["state"], me["reason"]) == ("missed", "Rejected")
    assert stats(agent, "billing")["waiting"] == 1
    assert agent.get(f"{AGENT}/offers").json() == []
    assert agent.post(f"/v1/offers/{offer['id']}/accept").json()["state"] == "rejected"

    go_available(supervisor, "agent-003")  # a billing agent signs in
    reoffer = pending_offer(supervisor, "agent-003")
    assert reoffer["contact"]["id"] == contact["id"]
    assert reoffer["contact"]["entered_queue_at"] == contact["entered_queue_at"]
    assert stats(agent, "billing")["waiting"] == 1  # still waiting: offered, not answered


def test_a_rejected_contact_is_tried_on_other_agents_before_coming_back(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    """A rejected call came straight back to the agent who rejected it once they were Available."""
    go_available(agent)
    contact = new_contact(supervisor)
    agent.post(f"/v1/offers/{pending_offer(agent)['id']}/reject")
    assert agent.get(AGENT).json()["state"] == "missed"  # not routable until they say so, as before
    go_available(agent)
    assert agent.get(f"{AGENT}/offers").json() == [], "not handed straight back"
    go_available(supervisor, "agent-003")  # a billing agent signs in: the call goes to them
    assert pending_offer(supervisor, "agent-003")["contact"]["id"] == contact["id"]
    # (after one offer timeout with nobody else, it comes back: test_offer_expires_and_the_agent_is_missed)


def test_routing_order_priority_then_longest_idle(supervisor: httpx.Client) -> None:
    sales = new_contact(supervisor, "sales", channel="chat", from_address="sam@example.com")
    billing = new_contact(supervisor, "billing")
    go_available(supervisor, "agent-007")  # billing, tech support and sales
    assert pending_offer(supervisor, "agent-007")["contact"]["id"] == billing["id"]  # priority 1 first
    go_available(supervisor, "agent-002")  # billing and sales
    assert pending_offer(supervisor, "agent-002")["contact"]["id"] == sales["id"]

    go_available(supervisor, "agent-003")
    go_available(supervisor, "agent-005")
    third = new_contact(supervisor, "billing")
    assert pending_offer(supervisor, "agent-003")["contact"]["id"] == third["id"]  # idle the longest
    assert supervisor.get("/v1/agents/agent-005/offers").json() == []


def test_offer_expires_and_the_agent_is_missed(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, offer_timeout_s=0.5, fresh=True)
    with serving(settings) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        go_available(agent)
        with events(agent, f"{AGENT}/events") as stream:
            contact = new_contact(supervisor)
            offer = next_matching(stream, "offer").json()["offer"]
            closed = next_matching(stream, "offer_closed").json()["offer"]
            missed = next_matching(stream, "agent_state", state="missed").json()["agent"]
        assert closed["id"] == offer["id"]
        assert closed["state"] == "expired"
        assert closed["contact"]["state"] == "queued"
        assert missed["reason"] == "Offer timed out"
        late = agent.post(f"/v1/offers/{offer['id']}/accept")
        assert late.status_code == 409
        assert late.json()["state"] == "expired"
        time.sleep(0.4)  # a while of the scheduler's turns: a missed agent is not offered the contact again
        assert agent.get(f"{AGENT}/offers").json() == []
        assert stats(agent, "billing")["waiting"] == 1
        go_available(agent)
        # A contact an agent missed goes to others first, for one offer timeout; nobody else is here,
        # so once that passed it comes back to them.
        deadline = time.monotonic() + 5
        while not agent.get(f"{AGENT}/offers").json() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pending_offer(agent)["contact"]["id"] == contact["id"]


def test_end_then_complete_with_a_disposition(agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    contact = new_contact(supervisor, "tech_support", channel="email", from_address="kim@example.com")
    agent.post(f"/v1/offers/{pending_offer(agent)['id']}/accept")
    path = f"/v1/contacts/{contact['id']}"

    early = agent.post(f"{path}/complete", json={"disposition": "Resolved"})
    assert early.status_code == 409
    assert early.json()["state"] == "connected"
    with client(str(agent.base_url), "agent-004-token") as other:
        assert other.post(f"{path}/end").status_code == 403

    ended = agent.post(f"{path}/end")
    assert ended.status_code == 200
    assert ended.json()["state"] == "after_contact_work"
    assert ended.json()["ended_at"]
    assert agent.get(AGENT).json()["state"] == "after_contact_work"

    assert agent.post(f"{path}/complete", json={"disposition": "Refund issued"}).status_code == 422  # billing's
    done = agent.post(f"{path}/complete", json={"disposition": "Ticket opened"})
    assert done.status_code == 200
    assert (done.json()["state"], done.json()["disposition"]) == ("completed", "Ticket opened")
    assert agent.get(AGENT).json()["state"] == "available"
    assert agent.get(f"{AGENT}/contacts").json() == []
    assert agent.post(f"{path}/end").json() == {"detail": "contact is completed", "state": "completed"}

    figures = stats(agent, "tech_support")
    assert figures["service_level_pct"] == 100.0
    assert figures["abandonment_rate_pct"] == 0.0
    assert figures["aht_s"] is not None
    assert figures["asa_s"] is not None


# --- streams, persistence and the simulator --------------------------------------------


def test_reconnecting_with_last_event_id_gets_exactly_what_was_missed(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    with events(agent, f"{AGENT}/events") as stream:
        go_available(agent)
        seen = next_matching(stream, "agent_state", state="available")
    # disconnected: a contact is offered meanwhile
    contact = new_contact(supervisor)
    with events(agent, f"{AGENT}/events", last_event_id=seen.id, read_s=1) as stream:
        missed = [next(stream) for _ in range(2)]
        with pytest.raises(httpx.ReadTimeout):
            next(stream)  # nothing else, nothing twice: the offer is told once, its contact inside
    assert [e.event for e in missed] == ["offer", "agent_state"]
    assert missed[0].json()["offer"]["contact"]["id"] == contact["id"]
    assert missed[1].json()["agent"]["state"] == "offered"
    ids = [int(e.id) for e in missed]
    assert ids == sorted(ids)
    assert ids[0] > int(seen.id)


def test_a_restart_keeps_queued_contacts_and_agent_states(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, fresh=True)
    with serving(settings) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        waiting = new_contact(supervisor, "sales", channel="sms", from_address="+14155550123")
        agent.put(f"{AGENT}/state", json={"state": "not_ready", "reason": "Training"})

    again = settings.model_copy(update={"fresh": False})
    with serving(again) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        me = agent.get(AGENT).json()
        assert (me["state"], me["reason"]) == ("not_ready", "Training")
        assert stats(agent, "sales")["waiting"] == 1
        go_available(agent)
        assert pending_offer(agent)["contact"]["id"] == waiting["id"]
        assert new_contact(supervisor)["id"] == "c-000002"


def test_the_simulator_keeps_the_floor_busy(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=11, customers=60, simulator=True, speed=30, fresh=True)
    with serving(settings) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        completed: list[dict[str, Any]] = []
        arrived: set[str] = set()
        deadline = time.monotonic() + 15
        with events(supervisor, "/v1/supervisor/events") as stream:
            for event in stream:
                if event.event in ("queue_stats", "adherence"):  # the supervisor desktop's (test_ccaas_supervisor.py,
                    continue  # test_adherence_api.py)
                if event.event == "said_alert":  # the supervisor's desk's too: a simulated customer said something
                    assert SaidAlertEvent.model_validate_json(event.data).alert.contact_id
                    continue
                assert EVENT.validate_json(event.data).type == event.event  # the desktop reads every one
                if event.event == "contact":
                    contact = event.json()["contact"]
                    arrived.add(contact["id"])
                    if contact["state"] == "completed":
                        completed.append(contact)
                if len(completed) >= 3 or time.monotonic() > deadline:
                    break
        assert len(completed) >= 3
        assert len(arrived) >= 8
        assert all(c["agent_id"] != "agent-001" and c["disposition"] for c in completed)
        addresses = {c["from_address"] for c in completed}
        assert addresses
        assert all(a for a in addresses)

        # the demo agent going available is offered a contact promptly
        go_available(agent)
        deadline = time.monotonic() + 3
        while not agent.get(f"{AGENT}/offers").json():
            assert time.monotonic() < deadline, "no offer for the demo agent"
            time.sleep(0.1)
        assert any(s["aht_s"] is not None for s in agent.get("/v1/queues/stats").json())
