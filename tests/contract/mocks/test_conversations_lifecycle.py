"""A conversation's life beside its contact, over HTTP: the inactivity timeout, the customer leaving,
transfers that carry the transcript, a supervisor reading it, and a server restart losing nothing."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import AGENT, client, events, go_available, serving
from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    accept,
    agent,
    contact_in_hand,
    customer_lines,
    next_event,
    send,
    settings_for,
    supervisor,
    transcript,
    url,
    wait_for_transcript,
)

TIME_SCALE = 4.0  # the inactivity timeout of 4 s of the mock's time passes in 1 s


def test_the_inactivity_timeout_ends_a_quiet_conversation(tmp_path: Path) -> None:
    with (
        serving(settings_for(tmp_path).model_copy(update={"time_scale": TIME_SCALE})) as url,
        client(url) as agent,
        client(url, DEMO_SUPERVISOR_TOKEN) as supervisor,
    ):
        _inactivity_ends_the_conversation(agent, supervisor)


def _inactivity_ends_the_conversation(agent: httpx.Client, supervisor: httpx.Client) -> None:
    settings = "/v1/queues/billing/conversation-settings"
    assert agent.get(settings).json()["inactivity_timeout_s"] == {"chat": 300, "sms": 1800, "email": None}
    assert agent.patch(settings, json={"inactivity_timeout_s": {"chat": 2}}).status_code == 403
    assert supervisor.patch(settings, json={"inactivity_timeout_s": {"chat": 0}}).status_code == 422
    assert supervisor.patch(settings, json={"inactivity_timeout_s": {"voice": 5}}).status_code == 422
    changed = supervisor.patch(settings, json={"inactivity_timeout_s": {"chat": 4}})
    assert changed.json()["inactivity_timeout_s"] == {"chat": 4, "sms": 1800, "email": None}
    assert supervisor.get("/v1/queues/nope/conversation-settings").status_code == 404

    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    with events(agent, f"{AGENT}/events", read_s=8) as stream:
        conversation = agent.get(f"/v1/contacts/{cid}/conversation").json()
        assert conversation["inactivity_timeout_s"] == 4  # the mock's seconds: 1 s of real time
        first_deadline = datetime.fromisoformat(conversation["inactivity_deadline"])
        time.sleep(0.4)
        send(agent, cid, "Let me check that.")  # a message from either side moves the deadline
        moved = datetime.fromisoformat(agent.get(f"/v1/contacts/{cid}/conversation").json()["inactivity_deadline"])
        assert (moved - first_deadline).total_seconds() >= 0.35
        ended = next_event(stream, "conversation_ended", contact_id=cid)
    assert ended.json()["reason"] == "customer_inactive"
    assert ended.json()["item"]["text"] == "The conversation ended: no message for 4 seconds"
    ended_at = datetime.fromisoformat(ended.json()["item"]["created_at"])
    last_message = max(
        datetime.fromisoformat(i["created_at"]) for i in transcript(agent, cid) if i["kind"] == "message"
    )
    assert (
        0.95 <= (ended_at - last_message).total_seconds() <= 4.0
    )  # 1 s after the last message (a loaded machine may be late)
    assert agent.get(f"/v1/contacts/{cid}").json()["state"] == "after_contact_work"
    conversation = agent.get(f"/v1/contacts/{cid}/conversation").json()
    assert (conversation["state"], conversation["ended_reason"]) == ("closed", "customer_inactive")
    assert conversation["inactivity_deadline"] is None


def test_the_customer_says_goodbye_and_leaves(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    with events(agent, f"{AGENT}/events") as stream:
        send(agent, cid, "It's all sorted. Have a great day, bye!")
        ended = next_event(stream, "conversation_ended", contact_id=cid)
    assert ended.json()["reason"] == "customer_left"
    assert customer_lines(transcript(agent, cid))[-1] == "Bye! 👋"
    assert agent.get(f"/v1/contacts/{cid}").json()["state"] == "after_contact_work"


def test_a_blind_transfer_carries_the_transcript_and_the_note(
    url: str, agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    send(agent, cid, "Could you verify your email address?")
    wait_for_transcript(agent, cid, lambda items: len(customer_lines(items)) == 2)
    go_available(supervisor, "agent-002")
    with client(url, "agent-002-token") as second, events(second, "/v1/agents/agent-002/events") as stream:
        target = {"kind": "agent", "id": "agent-002"}
        note = "Verified by email. Wants the <b>second</b> payment refunded."
        moved = agent.post(f"/v1/contacts/{cid}/transfer", json={"target": target, "note": note})
        assert moved.status_code == 200, moved.text
        assert agent.get(f"/v1/contacts/{cid}/messages").status_code == 403  # no longer theirs
        accept(second, "agent-002")
        joined = next_event(stream, "participant_joined", contact_id=cid)
        name = second.get("/v1/agents/agent-002").json()["name"]
        assert joined.json()["item"]["display_name"] == name

        items = transcript(second, cid)
        assert customer_lines(items)[:2] == customer_lines(transcript(supervisor, cid))[:2]
        kinds = [(i["kind"], i["display_name"]) for i in items if i["kind"] != "message"]
        assert kinds == [
            ("participant_joined", "Alex Morgan"),
            ("transferred", "System"),
            ("participant_left", "Alex Morgan"),
            ("participant_joined", name),
        ]
        transferred = next(i for i in items if i["kind"] == "transferred")
        assert transferred["role"] == "system"
        assert transferred["text"] == f"Alex Morgan transferred the conversation to {name}. Note: {note}"
        send(second, cid, "Hi, I'm taking over. I have issued the refund.")
        wait_for_transcript(second, cid, lambda items: len(customer_lines(items)) == 3)


def test_a_consult_transfer_to_a_queue_keeps_the_transcript(
    url: str, agent: httpx.Client, supervisor: httpx.Client
) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    go_available(supervisor, "agent-002")
    target = {"kind": "queue", "id": "billing"}
    consulting = agent.post(f"/v1/contacts/{cid}/consult", json={"target": target, "note": "Refund over $100"})
    assert consulting.status_code == 200, consulting.text
    deadline = time.monotonic() + 5
    while agent.get(f"/v1/contacts/{cid}").json()["consult"]["state"] != "connected":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert agent.post(f"/v1/contacts/{cid}/consult/complete").status_code == 200
    with client(url, "agent-002-token") as second:
        accept(second, "agent-002")
        transferred = [i for i in transcript(second, cid) if i["kind"] == "transferred"]
        assert [i["text"] for i in transferred] == [
            "Alex Morgan transferred the conversation to the Billing queue. Note: Refund over $100"
        ]
        assert transcript(second, cid)[0]["role"] == "customer"


def test_a_supervisor_reads_a_live_transcript_as_it_grows(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    with events(supervisor, "/v1/supervisor/events") as stream:
        sent = send(agent, cid, "Could you verify your email address?")
        seen = [next_event(stream, "message", contact_id=cid).json()["item"] for _ in range(3)]
    assert [(i["role"], i["id"]) for i in seen[1:]] == [("agent", sent["id"]), ("customer", seen[2]["id"])]
    assert seen[0]["role"] == "customer"
    assert seen[0]["index"] == 0  # the opening, from the start of the stream
    assert transcript(supervisor, cid) == transcript(agent, cid)
    assert supervisor.get(f"/v1/contacts/{cid}/conversation").json()["agent_id"] == "agent-001"


def _all_events(c: httpx.Client, path: str) -> list[tuple[str, str]]:
    found = []
    with events(c, path, last_event_id="0", read_s=1.0) as stream:
        try:
            for event in stream:
                found.append((event.id, event.event))
        except httpx.ReadTimeout:
            pass
    return found


def test_a_restart_keeps_transcripts_deadlines_and_the_awaited_answer(tmp_path: Path) -> None:
    with serving(settings_for(tmp_path, speed=0.2)) as url, client(url) as agent:  # a slow customer
        with client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
            contact = contact_in_hand(agent, supervisor)
        cid = contact["id"]
        send(agent, cid, "Could you verify your email address?")  # the answer would take many seconds
        stream_before = _all_events(agent, f"{AGENT}/events")
        before = transcript(agent, cid)
        conversation = agent.get(f"/v1/contacts/{cid}/conversation").json()
    assert len(customer_lines(before)) == 1  # not answered yet when the server stopped

    with serving(settings_for(tmp_path, speed=20, fresh=False)) as url, client(url) as agent:
        fixed = ("id", "index", "kind", "role", "display_name", "text", "created_at")
        assert [{k: i[k] for k in fixed} for i in transcript(agent, cid)[: len(before)]] == [
            {k: i[k] for k in fixed} for i in before
        ]
        again = agent.get(f"/v1/contacts/{cid}/conversation").json()
        items = wait_for_transcript(agent, cid, lambda items: len(customer_lines(items)) == 2)
        assert customer_lines(items)[1].startswith("Sure, my email is ")  # answered after the restart
        answer = next(i for i in items if i["role"] == "customer" and i["index"] > 0)
        if again["item_count"] == conversation["item_count"]:  # read before the answer came: the old deadline
            assert again["inactivity_deadline"] == conversation["inactivity_deadline"]
        answered = agent.get(f"/v1/contacts/{cid}/conversation").json()
        timeout = timedelta(seconds=answered["inactivity_timeout_s"])  # time_scale 1: the mock's seconds are real
        assert (
            datetime.fromisoformat(answered["inactivity_deadline"])
            == datetime.fromisoformat(answer["created_at"]) + timeout
        )
        assert items[2]["delivered_at"] is not None
        newer = send(agent, cid, "Thanks.")
        assert int(newer["id"][2:]) > max(int(i["id"][2:]) for i in items)
        stream_after = _all_events(agent, f"{AGENT}/events")
        assert stream_after[: len(stream_before)] == stream_before  # resumable by id across the restart
        assert "message" in [kind for _, kind in stream_after[len(stream_before) :]]


def test_a_send_failing_half_way_leaves_nothing_half_written(tmp_path: Path) -> None:
    from agent_desktop_mocks.ccaas.api.app import create_app
    from agent_desktop_mocks.common.runner import serve_in_thread

    app = create_app(settings_for(tmp_path))
    running = serve_in_thread([app])
    try:
        with client(running.urls[0]) as agent, client(running.urls[0], DEMO_SUPERVISOR_TOKEN) as supervisor:
            contact = contact_in_hand(agent, supervisor)
            cid = contact["id"]
            before = transcript(agent, cid)
            store = app.state.conversations.store  # the API's, the service's: one
            real_save_key = store.save_key

            def broken(*args: object) -> NoReturn:
                raise OSError("disk full")

            store.save_key = broken  # the item is written, then storing its key fails
            path = f"/v1/contacts/{cid}/messages"
            with events(agent, f"{AGENT}/events", last_event_id=None) as live:  # what a desktop sees live
                with client(running.urls[0]) as once:
                    try:  # a 500, or the connection dropped by the server after its error
                        failed = once.post(path, json={"text": "Lost."}, headers={"Idempotency-Key": "k-9"})
                        assert failed.status_code == 500
                    except httpx.ReadError:
                        pass
                assert transcript(agent, cid) == before  # no message without its key
                store.save_key = real_save_key
                retried = agent.post(path, json={"text": "Checking."}, headers={"Idempotency-Key": "k-9"})
                assert retried.status_code == 201
                assert "Idempotent-Replayed" not in retried.headers  # k-9 unused
                first_pushed = next_event(live, "message", contact_id=cid)
            # the failed send's event was never pushed: the first one the desktop sees is the retry's
            assert first_pushed.json()["item"]["text"] == "Checking."
            assert retried.json()["index"] == len(before)  # no gap where the failed one was
            assert [i["id"] for i in transcript(agent, cid)] == [*(i["id"] for i in before), retried.json()["id"]]
    finally:
        running.stop()


def test_a_transfer_to_an_address_ends_the_conversation(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    target = {"kind": "address", "id": "sip:ana@example.com"}
    assert agent.post(f"/v1/contacts/{contact['id']}/transfer", json={"target": target}).status_code == 200
    items = transcript(agent, contact["id"])
    assert [i["kind"] for i in items[-2:]] == ["transferred", "conversation_ended"]
    assert items[-2]["text"] == "Alex Morgan transferred the conversation to sip:ana@example.com"
    assert agent.get(f"/v1/contacts/{contact['id']}/conversation").json()["ended_reason"] == "transferred_out"
