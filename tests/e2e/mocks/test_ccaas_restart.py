"""Fault test: the CCaaS server stopped mid-shift and started again on the same data loses nothing.

A real server on loopback builds a busy floor over HTTP (queued, offered, connected, on hold,
after-contact work, a next state, a not-ready reason), is stopped, and a new server on the same
data folder must show the same floor; the pending offer and the ACW deadline keep running, and
event ids continue without a gap or a repeat.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.contract.mocks.test_ccaas_api import AGENT, client, events, go_available, new_contact, pending_offer, serving

ACW_S = 15
T = TypeVar("T")


def wait_until(condition: Callable[[], T | None], timeout_s: float, what: str) -> T:
    deadline = time.monotonic() + timeout_s
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return value


def accept(c: httpx.Client, agent_id: str = "agent-001") -> dict[str, Any]:
    response = c.post(f"/v1/offers/{pending_offer(c, agent_id)['id']}/accept")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def floor(supervisor: httpx.Client) -> dict[str, Any]:
    """Everything a supervisor can see of the live state."""
    offers = {}
    for row in supervisor.get("/v1/supervisor/agents").json():
        for offer in supervisor.get(f"/v1/agents/{row['agent']['id']}/offers").json():
            offers[offer["id"]] = {k: v for k, v in offer.items() if k != "expires_at"}  # a fresh timeout
    return {
        "agents": supervisor.get("/v1/supervisor/agents").json(),
        "offers": offers,
        "waiting": {q: supervisor.get(f"/v1/queues/{q}/waiting").json() for q in ("billing", "tech_support", "sales")},
        "queues": supervisor.get("/v1/queues").json(),
        "counts": [
            {
                k: s[k]
                for k in ("queue_id", "waiting", "arrived", "answered", "abandoned", "agents_by_state", "contained")
                + ("callbacks_pending",)
            }
            for s in supervisor.get("/v1/queues/stats").json()
        ],
    }


def all_event_ids(supervisor: httpx.Client) -> list[int]:
    """The ids of every stored event (queue_stats are pushed live, not stored)."""
    ids = []
    with events(supervisor, "/v1/supervisor/events", last_event_id="0", read_s=1.5) as stream:
        try:
            for event in stream:
                if event.event != "queue_stats":
                    ids.append(int(event.id))
        except httpx.ReadTimeout:
            pass
    return ids


def test_a_restart_mid_shift_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=60, simulator=False, offer_timeout_s=300, fresh=True)
    with serving(settings) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        assert supervisor.patch("/v1/queues/billing", json={"acw_timeout_s": ACW_S}).status_code == 200
        go_available(agent)
        chat = new_contact(supervisor, channel="chat", from_address="kim@example.com")
        accept(agent)
        held = new_contact(supervisor, channel="chat", from_address="lee@example.com")
        accept(agent)
        assert agent.post(f"/v1/contacts/{held['id']}/hold").json()["state"] == "on_hold"
        assert agent.put(f"{AGENT}/next-state", json={"state": "not_ready", "reason": "Lunch"}).status_code == 200

        go_available(supervisor, "agent-002")
        wrapping = new_contact(supervisor)  # voice: agent-001 has chats, so agent-002 takes it
        with client(url, "agent-002-token") as second_agent:
            accept(second_agent, "agent-002")
        ended = supervisor.post(f"/v1/contacts/{wrapping['id']}/end").json()
        assert ended["state"] == "after_contact_work"
        assert ended["acw_deadline"]

        go_available(supervisor, "agent-003")
        offered = new_contact(supervisor, from_address="+12125550111")
        assert pending_offer(supervisor, "agent-003")["contact"]["id"] == offered["id"]
        queued = [
            new_contact(supervisor, "sales", channel="sms", from_address="+14155550123"),
            new_contact(supervisor, "tech_support", channel="email", from_address="ann@example.com"),
            new_contact(supervisor, "billing", channel="voice", from_address="+12125550112"),
        ]
        supervisor.put("/v1/agents/agent-004/state", json={"state": "not_ready", "reason": "Training"})
        # the caller's journey: one served by self-service, one through the IVR, one waiting for a callback
        ivr = {"entry_number": "+18005550100", "from_address": "+12125550113"}
        assert (
            supervisor.post("/v1/ivr/calls", json={**ivr, "keys": ["1", "1"], "self_service": True}).status_code == 201
        )
        through = supervisor.post("/v1/ivr/calls", json={**ivr, "keys": ["3"]}).json()["contact"]
        assert through["attached"]["menu_path"] == ["Sales"]
        supervisor.patch("/v1/queues/tech_support", json={"callback_offer_after_s": 0})
        callback = new_contact(supervisor, "tech_support", from_address="+12125550114")
        assert supervisor.post(f"/v1/contacts/{callback['id']}/callback", json={}).status_code == 200

        before = floor(supervisor)
        ids_before = all_event_ids(supervisor)
    assert before["offers"]
    assert all(len(before["waiting"][q]) for q in ("sales", "tech_support", "billing"))
    states = {c["state"] for row in before["agents"] for c in row["contacts"]}
    assert states == {"connected", "on_hold", "after_contact_work"}

    again = settings.model_copy(update={"fresh": False, "offer_timeout_s": 6})
    with serving(again) as url, client(url) as agent, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        after = floor(supervisor)
        for key in ("agents", "offers", "waiting", "queues", "counts"):
            assert after[key] == before[key], key
        kept = supervisor.get(f"/v1/contacts/{through['id']}").json()
        assert kept["attached"] == through["attached"]
        assert kept["ewt_s"] == through["ewt_s"]
        assert supervisor.get(f"/v1/contacts/{callback['id']}").json()["callback"]["state"] == "waiting"
        assert {s["queue_id"]: s["contained"] for s in after["counts"]}["billing"] == 1
        contact_ids = {c["id"] for c in supervisor.get("/v1/supervisor/agents/agent-001/contacts/today").json()}
        assert contact_ids == {chat["id"], held["id"]}

        # event ids continue: the history is whole, nothing repeated, new ones come after
        ids_after = all_event_ids(supervisor)
        assert ids_after[: len(ids_before)] == ids_before  # (the restored offer may have expired since)
        assert len(set(ids_after)) == len(ids_after)
        assert ids_after == sorted(ids_after)
        with events(supervisor, "/v1/supervisor/events", last_event_id=str(ids_before[-1])) as stream:
            fresh = new_contact(supervisor, "sales", channel="chat", from_address="new@example.com")
            # (on a busy machine the restored offer's expiry, or an agent's state, may come first: it counts too)
            first = next(e for e in stream if e.event != "queue_stats")
            made = first if (first.json().get("contact") or {}).get("id") == fresh["id"] else None
            made = made or next(e for e in stream if (e.json().get("contact") or {}).get("id") == fresh["id"])
        assert int(first.id) > ids_before[-1]
        assert int(made.id) > ids_before[-1]
        assert fresh["id"] == f"c-{int(callback['id'][2:]) + 1:06d}"  # numbering continues

        # the pending offer's timer runs on: it expires, the contact goes back to its place
        missed = wait_until(
            lambda: (a := supervisor.get("/v1/agents/agent-003").json())["state"] == "missed" and a, 30, "expiry"
        )
        assert missed["reason"] == "Offer timed out"
        waiting = [c["id"] for c in supervisor.get("/v1/queues/billing/waiting").json()]
        assert waiting[:2] == [offered["id"], queued[2]["id"]]
        # the ACW deadline runs on too
        done = wait_until(
            lambda: (c := supervisor.get(f"/v1/contacts/{wrapping['id']}").json())["state"] == "completed" and c,
            ACW_S + 30,
            "the ACW timeout",
        )
        assert done["disposition"] == "ACW timeout"
        assert agent.get(AGENT).json()["next_state"] == {"state": "not_ready", "reason": "Lunch"}
