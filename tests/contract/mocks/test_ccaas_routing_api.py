"""The routing contract over HTTP: hold, next state, capacity, transfers, consults, supervisor views.

A real server on loopback per test, no simulator: the test drives the traffic. The mock's time runs 10x
faster (consult legs ring 0.1-0.3 s, a 1 s ACW timeout passes in 0.1 s); offers still wait 20 s of real time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.contract.mocks.test_ccaas_api import AGENT, client, events, go_available, new_contact, pending_offer

TIME_SCALE = 10.0


@pytest.fixture
def mock_settings(mock_settings: MockSettings) -> MockSettings:
    return mock_settings.model_copy(update={"time_scale": TIME_SCALE, "offer_timeout_s": 20 * TIME_SCALE})


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0, what: str = "condition") -> bool:
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def agent(ccaas_url: str) -> Iterator[httpx.Client]:
    with client(ccaas_url) as c:
        yield c


@pytest.fixture
def supervisor(ccaas_url: str) -> Iterator[httpx.Client]:
    with client(ccaas_url, DEMO_SUPERVISOR_TOKEN) as c:
        yield c


def connected(
    agent: httpx.Client, supervisor: httpx.Client, queue_id: str = "billing", **fields: Any
) -> dict[str, Any]:
    """agent-001 takes a new contact: it is connected."""
    go_available(agent)
    contact = new_contact(supervisor, queue_id, **fields)
    offer = pending_offer(agent)
    assert offer["contact"]["id"] == contact["id"]
    accepted = agent.post(f"/v1/offers/{offer['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    answer: dict[str, Any] = accepted.json()
    return answer


def contact_of(c: httpx.Client, contact_id: str) -> dict[str, Any]:
    response = c.get(f"/v1/contacts/{contact_id}")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


# --- hold, next state, capacity ----------------------------------------------------


def test_hold_and_resume_count_the_time_on_hold(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}"
    held = agent.post(f"{path}/hold")
    assert held.status_code == 200
    assert held.json()["state"] == "on_hold"
    assert held.json()["held_at"]
    assert agent.get(AGENT).json()["state"] == "busy"
    again = agent.post(f"{path}/hold")
    assert again.status_code == 409
    assert again.json()["state"] == "on_hold"
    time.sleep(0.2)
    resumed = agent.post(f"{path}/resume")
    assert resumed.status_code == 200
    body = resumed.json()
    assert body["state"] == "connected"
    assert body["held_at"] is None
    assert body["hold_s"] >= 0.15
    assert agent.post(f"{path}/resume").json()["state"] == "connected"  # 409 names the state
    with client(str(agent.base_url), "agent-002-token") as other:
        assert other.post(f"{path}/hold").status_code == 403
    assert supervisor.post(f"{path}/hold").status_code == 200  # a supervisor may act on any contact


def test_next_state_applies_when_the_last_contact_completes(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor, channel="chat", from_address="kim@example.com")
    bad = agent.put(f"{AGENT}/next-state", json={"state": "not_ready", "reason": "Nap"})
    assert bad.status_code == 422
    response = agent.put(f"{AGENT}/next-state", json={"state": "not_ready", "reason": "Lunch"})
    assert response.status_code == 200
    me = response.json()
    assert me["next_state"] == {"state": "not_ready", "reason": "Lunch"}
    assert me["state"] == "busy"
    assert me["idle_since"] is None  # a next state other than available: no more offers
    new_contact(supervisor, channel="chat", from_address="lee@example.com")
    assert agent.get(f"{AGENT}/offers").json() == []

    path = f"/v1/contacts/{contact['id']}"
    agent.post(f"{path}/end")
    agent.post(f"{path}/complete", json={"disposition": "Resolved"})
    me = agent.get(AGENT).json()
    assert (me["state"], me["reason"], me["next_state"]) == ("not_ready", "Lunch", None)

    # with nothing in hand it applies at once; null clears a pending one
    assert agent.put(f"{AGENT}/next-state", json={"state": "offline"}).json()["state"] == "offline"
    assert agent.put(f"{AGENT}/next-state", json={"state": None}).json()["next_state"] is None


def test_chats_up_to_capacity_and_voice_is_exclusive(agent: httpx.Client, supervisor: httpx.Client) -> None:
    assert agent.get(AGENT).json()["capacity"] == {"voice": 1, "chat": 3, "email": 2, "sms": 3}
    go_available(agent)
    chats = [new_contact(supervisor, channel="chat", from_address=f"c{i}@example.com") for i in range(4)]
    voice = new_contact(supervisor, channel="voice")
    for expected in chats[:3]:  # one offer at a time, each accepted within capacity
        offer = pending_offer(agent)
        assert offer["contact"]["id"] == expected["id"]
        assert agent.post(f"/v1/offers/{offer['id']}/accept").status_code == 200
    assert agent.get(f"{AGENT}/offers").json() == []  # the 4th chat waits: capacity 3
    assert len(agent.get(f"{AGENT}/contacts").json()) == 3
    waiting = [c["id"] for c in supervisor.get("/v1/queues/billing/waiting").json()]
    assert waiting == [chats[3]["id"], voice["id"]]  # longest waiting first


# --- transfers and consults -----------------------------------------------------------


def test_blind_transfer_to_a_queue_keeps_the_wait_and_frees_the_agent(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = connected(agent, supervisor)
    moved = agent.post(f"/v1/contacts/{contact['id']}/transfer", json={"target": {"kind": "queue", "id": "sales"}})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["state"], body["queue_id"], body["agent_id"]) == ("queued", "sales", None)
    assert body["entered_queue_at"] == contact["entered_queue_at"]
    assert body["transfer_path"] == ["queue:sales"]
    me = agent.get(AGENT).json()
    assert me["state"] == "available"
    assert agent.get(f"{AGENT}/contacts").json() == []
    assert agent.get(f"{AGENT}/offers").json() == []  # not offered straight back to who transferred it
    go_available(supervisor, "agent-006")  # sales
    assert pending_offer(supervisor, "agent-006")["contact"]["id"] == contact["id"]


def test_blind_transfer_to_an_agent_offers_it_to_them(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}/transfer"
    refused = agent.post(path, json={"target": {"kind": "agent", "id": "agent-003"}})
    assert refused.status_code == 409
    assert refused.json()["state"] == "offline"
    assert agent.post(path, json={"target": {"kind": "agent", "id": "agent-999"}}).status_code == 422
    go_available(supervisor, "agent-003")
    moved = agent.post(path, json={"target": {"kind": "agent", "id": "agent-003"}})
    assert moved.status_code == 200
    assert moved.json()["state"] == "offered"
    assert moved.json()["agent_id"] == "agent-003"
    assert agent.get(AGENT).json()["state"] == "available"
    with client(str(agent.base_url), "agent-003-token") as expert:
        taken = expert.post(f"/v1/offers/{pending_offer(expert, 'agent-003')['id']}/accept").json()
    assert taken["state"] == "connected"
    assert taken["handled_by"] == ["agent-001", "agent-003"]
    assert taken["answered_at"] == contact["answered_at"]  # the caller was answered once


def test_blind_transfer_to_an_address_leaves_the_agent_wrapping_up(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = connected(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}/transfer"
    assert agent.post(path, json={"target": {"kind": "address", "id": "ana@example.com"}}).status_code == 422
    assert agent.post(path, json={"target": {"kind": "queue", "id": "nowhere"}}).status_code == 422
    assert agent.post(path, json={"target": {"kind": "robot", "id": "x"}}).status_code == 422
    gone = agent.post(path, json={"target": {"kind": "address", "id": "sip:ana@example.com"}}).json()
    assert gone["state"] == "after_contact_work"
    assert gone["agent_id"] == "agent-001"
    assert gone["transfer_path"] == ["address:sip:ana@example.com"]
    again = agent.post(path, json={"target": {"kind": "queue", "id": "sales"}})
    assert again.status_code == 409
    assert again.json()["state"] == "after_contact_work"


def test_consult_an_agent_then_complete(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor)
    go_available(supervisor, "agent-003")
    path = f"/v1/contacts/{contact['id']}"
    started = agent.post(f"{path}/consult", json={"target": {"kind": "agent", "id": "agent-003", "name": None}})
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["state"] == "on_hold"
    assert body["consult"]["state"] == "ringing"
    assert body["consult"]["target"]["name"]  # the engine names the target
    early = agent.post(f"{path}/consult/complete")
    assert early.status_code == 409
    assert early.json()["state"] == "ringing"
    assert agent.post(f"{path}/consult", json={"target": {"kind": "queue", "id": "sales"}}).status_code == 409
    wait_until(lambda: contact_of(agent, contact["id"])["consult"]["state"] == "connected", what="the consult leg")
    done = agent.post(f"{path}/consult/complete")
    assert done.status_code == 200
    body = done.json()
    assert (body["state"], body["agent_id"], body["consult"]) == ("connected", "agent-003", None)
    assert body["transfer_path"] == ["agent:agent-003"]
    assert body["hold_s"] > 0
    assert agent.get(f"{AGENT}/contacts").json() == []
    assert [c["id"] for c in supervisor.get("/v1/agents/agent-003/contacts").json()] == [contact["id"]]


def test_consult_cancelled_or_failed_keeps_the_contact(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}"
    agent.post(f"{path}/consult", json={"target": {"kind": "agent", "id": "agent-004"}})  # offline: fails
    failed = wait_until(lambda: contact_of(agent, contact["id"])["consult"]["state"] == "failed", what="failure")
    assert failed
    refused = agent.post(f"{path}/consult/complete")
    assert refused.status_code == 409
    assert refused.json()["state"] == "failed"
    back = agent.post(f"{path}/consult/cancel")
    assert back.status_code == 200
    assert (back.json()["state"], back.json()["consult"]) == ("connected", None)
    again = agent.post(f"{path}/consult/cancel")
    assert again.status_code == 409
    assert again.json()["state"] == "connected"
    expert = agent.post(f"{path}/consult", json={"target": {"kind": "address", "id": "tel:+12125550199"}})
    assert expert.json()["consult"]["state"] == "ringing"
    wait_until(lambda: contact_of(agent, contact["id"])["consult"]["state"] == "connected", what="the expert")
    gone = agent.post(f"{path}/consult/complete").json()
    assert gone["state"] == "after_contact_work"
    assert gone["transfer_path"] == ["address:tel:+12125550199"]


# --- ACW timeout, abandon, supervisor sign-out ---------------------------------------


def test_acw_timeout_completes_the_contact(agent: httpx.Client, supervisor: httpx.Client) -> None:
    patched = supervisor.patch("/v1/queues/billing", json={"acw_timeout_s": 1})
    assert patched.status_code == 200
    assert patched.json()["acw_timeout_s"] == 1
    contact = connected(agent, supervisor)
    with events(agent, f"{AGENT}/events") as stream:
        ended = agent.post(f"/v1/contacts/{contact['id']}/end").json()
        assert ended["acw_deadline"]
        for event in stream:
            if event.event == "contact" and event.json()["contact"]["state"] == "completed":
                done = event.json()["contact"]
                break
    assert done["disposition"] == "ACW timeout"
    late = agent.post(f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"})
    assert late.status_code == 409
    assert late.json()["state"] == "completed"
    assert agent.get(AGENT).json()["state"] == "available"


def test_a_caller_abandoning_while_offered_cancels_the_offer(agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    contact = new_contact(supervisor)
    offer = pending_offer(agent)
    with events(agent, f"{AGENT}/events", last_event_id=None) as stream:
        gone = supervisor.post(f"/v1/contacts/{contact['id']}/abandon")
        assert gone.status_code == 200
        assert gone.json()["state"] == "abandoned"
        closed = next(e for e in stream if e.event == "offer_closed").json()["offer"]
    assert closed["id"] == offer["id"]
    assert closed["state"] == "cancelled"
    me = agent.get(AGENT).json()
    assert me["state"] == "available"
    assert me["reason"] is None  # not missed
    late = agent.post(f"/v1/offers/{offer['id']}/accept")
    assert late.status_code == 409
    assert late.json()["state"] == "cancelled"
    assert supervisor.post(f"/v1/contacts/{contact['id']}/abandon").json()["state"] == "abandoned"
    assert agent.post(f"/v1/contacts/{contact['id']}/abandon").status_code == 403


def test_a_supervisor_signs_out_an_agent_with_an_offer(agent: httpx.Client, supervisor: httpx.Client) -> None:
    go_available(agent)
    contact = new_contact(supervisor)
    assert agent.put(f"{AGENT}/state", json={"state": "offline"}).status_code == 409  # the agent cannot
    signed_out = supervisor.put(f"{AGENT}/state", json={"state": "offline", "reason": None})
    assert signed_out.status_code == 200
    assert signed_out.json()["state"] == "offline"
    assert contact_of(supervisor, contact["id"])["state"] == "queued"
    go_available(agent)
    offer = pending_offer(agent)
    assert offer["contact"]["id"] == contact["id"]  # back at its place, offered again
    agent.post(f"/v1/offers/{offer['id']}/accept")
    busy = supervisor.put(f"{AGENT}/state", json={"state": "offline"})
    assert busy.status_code == 409
    assert busy.json()["state"] == "busy"


# --- supervisor views ------------------------------------------------------------------


def test_supervisor_endpoints_need_a_supervisor(ccaas_url: str, agent: httpx.Client) -> None:
    for path in (
        "/v1/supervisor/agents",
        "/v1/supervisor/agents/agent-001/contacts/today",
        "/v1/supervisor/stats/history",
        "/v1/queues/billing/waiting",
    ):
        assert agent.get(path).status_code == 403, path
        with client(ccaas_url, None) as anonymous:
            assert anonymous.get(path).status_code == 401, path
    assert agent.patch("/v1/queues/billing", json={"priority": 9}).status_code == 403
    assert agent.post("/v1/contacts/c-000001/move", json={"queue_id": "sales"}).status_code == 403


def test_the_floor_and_an_agents_day(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor)
    floor = supervisor.get("/v1/supervisor/agents").json()
    assert [row["agent"]["id"] for row in floor][:2] == ["agent-001", "agent-002"]
    mine = next(row for row in floor if row["agent"]["id"] == "agent-001")
    assert mine["agent"]["state"] == "busy"
    assert [c["id"] for c in mine["contacts"]] == [contact["id"]]
    path = f"/v1/contacts/{contact['id']}"
    agent.post(f"{path}/end")
    agent.post(f"{path}/complete", json={"disposition": "Resolved"})
    second = connected(agent, supervisor, "sales")
    today = supervisor.get("/v1/supervisor/agents/agent-001/contacts/today").json()
    assert [c["id"] for c in today] == [second["id"], contact["id"]]
    assert supervisor.get("/v1/supervisor/agents/agent-999/contacts/today").status_code == 404


def test_queue_priority_and_moves_change_who_is_served_first(supervisor: httpx.Client) -> None:
    sales = new_contact(supervisor, "sales", channel="chat", from_address="sam@example.com")
    billing = new_contact(supervisor, "billing", channel="chat", from_address="bo@example.com")
    queues = supervisor.get("/v1/queues").json()
    assert [q["id"] for q in queues] == ["billing", "tech_support", "sales"]  # higher priority first
    raised = supervisor.patch("/v1/queues/sales", json={"priority": 10})
    assert raised.status_code == 200
    assert raised.json()["priority"] == 10
    assert supervisor.patch("/v1/queues/nowhere", json={"priority": 1}).status_code == 404
    assert supervisor.patch("/v1/queues/sales", json={"priority": "high"}).status_code == 422
    go_available(supervisor, "agent-007")  # has both skills
    assert pending_offer(supervisor, "agent-007")["contact"]["id"] == sales["id"]

    moved = supervisor.post(f"/v1/contacts/{billing['id']}/move", json={"queue_id": "tech_support"})
    assert moved.status_code == 200
    assert (moved.json()["queue_id"], moved.json()["entered_queue_at"]) == ("tech_support", billing["entered_queue_at"])
    assert [c["id"] for c in supervisor.get("/v1/queues/tech_support/waiting").json()] == [billing["id"]]
    assert supervisor.post(f"/v1/contacts/{billing['id']}/move", json={"queue_id": "nowhere"}).status_code == 422
    offered = supervisor.post(f"/v1/contacts/{sales['id']}/move", json={"queue_id": "billing"})
    assert offered.status_code == 409
    assert offered.json()["state"] == "offered"


def test_stats_windows_and_history(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = connected(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}"
    agent.post(f"{path}/end")
    agent.post(f"{path}/complete", json={"disposition": "Resolved"})
    for window in ("15m", "30m", "60m", "today"):
        all_figures = agent.get("/v1/queues/stats", params={"window": window}).json()
        figures = next(s for s in all_figures if s["queue_id"] == "billing")
        assert figures["window"] == window
        assert (figures["arrived"], figures["answered"], figures["answered_within_threshold"]) == (1, 1, 1)
        assert figures["service_level_pct"] == 100.0
        assert figures["abandonment_rate_pct"] == 0.0
        assert figures["service_level_threshold_s"] == 20
        assert figures["staffed"] == 1
        assert figures["arrival_rate_per_min"] > 0
        assert figures["occupancy_pct"] is not None
    assert agent.get("/v1/queues/stats", params={"window": "2h"}).status_code == 422
    history = supervisor.get("/v1/supervisor/stats/history", params={"minutes": 30}).json()
    assert {s["queue_id"] for s in history} == {"billing", "tech_support", "sales"}
    assert supervisor.get("/v1/supervisor/stats/history", params={"minutes": 0}).status_code == 422


def _sales_waiting(stats: dict[str, Any]) -> int | None:
    """None when the push leaves sales out (its figures did not change)."""
    return next((s["waiting"] for s in stats["today"] if s["queue_id"] == "sales"), None)


def test_queue_stats_are_pushed_to_supervisors(supervisor: httpx.Client) -> None:
    with events(supervisor, "/v1/supervisor/events", last_event_id=None, read_s=10) as stream:
        new_contact(supervisor, "sales", channel="sms", from_address="+14155550123")
        # A push already on its way when the contact was created shows the queue empty: the next one counts it.
        pushed = next(e for e in stream if e.event == "queue_stats" and _sales_waiting(e.json()) == 1)
    body = pushed.json()
    assert body["type"] == "queue_stats"
    assert body["at"]
    sales = next(s for s in body["today"] if s["queue_id"] == "sales")
    assert sales["window"] == "today"
    assert {s["window"] for s in body["last_30m"]} == {"30m"}
    assert int(pushed.id) > 0


def test_a_supervisor_sets_capacity_and_proficiency(agent: httpx.Client, supervisor: httpx.Client) -> None:
    assert agent.patch(AGENT, json={"capacity": {"chat": 1}}).status_code == 403
    assert supervisor.patch(AGENT, json={"capacity": {"chat": 99}}).status_code == 422
    assert supervisor.patch(AGENT, json={"capacity": {"fax": 1}}).status_code == 422
    changed = supervisor.patch(AGENT, json={"capacity": {"chat": 1}, "proficiency": {"sales": 0, "billing": 5}})
    assert changed.status_code == 200, changed.text
    me = changed.json()
    assert me["capacity"]["chat"] == 1
    assert me["capacity"]["voice"] == 1
    assert me["proficiency"] == {"billing": 5, "tech_support": 3}
    assert "sales" not in me["skills"]
    go_available(agent)
    new_contact(supervisor, "sales", channel="chat", from_address="s@example.com")
    assert agent.get(f"{AGENT}/offers").json() == []  # no longer a sales agent
    first = new_contact(supervisor, "billing", channel="chat", from_address="b1@example.com")
    assert agent.post(f"/v1/offers/{pending_offer(agent)['id']}/accept").json()["id"] == first["id"]
    new_contact(supervisor, "billing", channel="chat", from_address="b2@example.com")
    assert agent.get(f"{AGENT}/offers").json() == []  # one chat at a time now


def test_a_capacity_cut_keeps_the_contacts_in_hand_and_sends_a_ringing_offer_beyond_it_back(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    go_available(agent)
    held = new_contact(supervisor, "billing", channel="chat", from_address="c1@example.com")
    assert agent.post(f"/v1/offers/{pending_offer(agent)['id']}/accept").status_code == 200
    ringing = new_contact(supervisor, "billing", channel="chat", from_address="c2@example.com")
    assert pending_offer(agent)["contact"]["id"] == ringing["id"]
    assert supervisor.patch(AGENT, json={"capacity": {"chat": 1}}).status_code == 200
    assert agent.get(f"{AGENT}/offers").json() == [], "the second chat no longer fits: its offer is withdrawn"
    assert contact_of(supervisor, ringing["id"])["state"] == "queued", "back in its queue, for someone else"
    assert contact_of(supervisor, held["id"])["state"] == "connected", "the chat in hand stays"


def test_not_ready_reasons_are_configurable(tmp_path: Path) -> None:
    from tests.contract.mocks.test_ccaas_api import serving

    settings = MockSettings(
        data_dir=tmp_path, seed=7, customers=30, simulator=False, fresh=True, not_ready_reasons=["Huddle", "Break"]
    )
    with serving(settings) as url, client(url) as me:
        assert me.get(AGENT).json()["not_ready_reasons"] == ["Huddle", "Break"]
        assert me.put(f"{AGENT}/state", json={"state": "not_ready", "reason": "Huddle"}).json()["reason"] == "Huddle"
        assert me.put(f"{AGENT}/state", json={"state": "not_ready", "reason": "Lunch"}).status_code == 422
