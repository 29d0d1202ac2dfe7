"""The conversation API of the mock CCaaS over HTTP: transcripts, limits, who may write, pages, read markers, events.

A real server on loopback per test, with simulated customers sped up (`speed`) so they answer
within a fraction of a second.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import AGENT, client, events, go_available, new_contact, serving
from tests.support.conversation_rig import (  # noqa: F401 (url, agent, supervisor are fixtures)
    KNOWN_PHONE,
    accept,
    agent,
    channel,
    contact_in_hand,
    customer_lines,
    expected_customer,
    next_event,
    send,
    settings_for,
    supervisor,
    transcript,
    url,
    wait_for_transcript,
)
from tests.support.narrowing import present


def test_a_chat_opens_with_the_customers_message_and_the_agent_joins(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    go_available(agent)
    contact = new_contact(supervisor, "billing", channel="chat", from_address=KNOWN_PHONE, subject="Charged twice")
    intent, state, caller = expected_customer(contact)
    opening = customers.opening(intent, state, channel(contact), None)[0].text

    preview = transcript(agent, contact["id"])  # the agent it is offered to sees what the customer wrote
    assert [(i["role"], i["display_name"], i["text"]) for i in preview] == [("customer", present(caller).name, opening)]
    assert intent.id == "billing_dispute"
    assert "charged twice" in opening

    accept(agent)
    items = transcript(agent, contact["id"])
    assert [i["kind"] for i in items] == ["message", "participant_joined"]
    assert items[1]["display_name"] == "Alex Morgan"
    assert items[1]["participant_id"] == "agent-001"
    assert [i["index"] for i in items] == [0, 1]
    conversation = agent.get(f"/v1/contacts/{contact['id']}/conversation").json()
    assert conversation["state"] == "active"
    assert conversation["unread"] == 1
    assert conversation["customer_name"] == present(caller).name
    assert conversation["agent_id"] == "agent-001"
    assert conversation["limits"]["max_chars"] == 4096
    assert conversation["inactivity_timeout_s"] == 300
    deadline = datetime.fromisoformat(conversation["inactivity_deadline"])
    joined = datetime.fromisoformat(items[1]["created_at"])
    assert deadline - joined == timedelta(seconds=300)


def test_the_customer_answers_what_the_agent_wrote(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    intent, state, caller = expected_customer(contact)
    assert state.idle_after is None, "seed 7's first customer answers (pick another seed if the script changes)"
    cid = contact["id"]

    send(agent, cid, "Hello! Could you verify your email address for me?")
    items = wait_for_transcript(agent, cid, lambda items: len(customer_lines(items)) == 2)
    assert customer_lines(items)[1] == f"Sure, my email is {present(caller).email}."

    send(agent, cid, "Thank you. I have issued a refund for the second payment.")
    items = wait_for_transcript(agent, cid, lambda items: len(customer_lines(items)) == 3)
    assert customer_lines(items)[2] == f"Thank you! How long until the {state.facts['amount']} is back on my account?"

    send(agent, cid, "Sorry, what was that?")  # no keyword: one of the intent's fallbacks
    items = wait_for_transcript(agent, cid, lambda items: len(customer_lines(items)) == 4)
    assert customer_lines(items)[3] in [customers.fill(f, state) for f in intent.fallbacks]


def test_the_same_seed_gives_the_same_conversation(tmp_path: Path) -> None:
    def run(folder: Path) -> list[tuple[str, str]]:
        with (
            serving(settings_for(folder)) as url,
            client(url) as agent,
            client(url, DEMO_SUPERVISOR_TOKEN) as supervisor,
        ):
            contact = contact_in_hand(agent, supervisor, queue_id="tech_support", subject="Cannot log in to the app")
            for n, text in enumerate(["Hi! Can you confirm your email address?", "I sent you a reset link."], 2):
                send(agent, contact["id"], text)

                def said_n(items: list[dict[str, Any]], n: int = n) -> bool:
                    return len(customer_lines(items)) == n

                wait_for_transcript(agent, contact["id"], said_n)
            return [(i["role"], i["text"]) for i in transcript(agent, contact["id"])]

    first, second = run(tmp_path / "a"), run(tmp_path / "b")
    assert first == second
    assert first[-1][0] == "customer"
    assert first[-1][1].startswith("Got the link. Done, I'm in now!")


def test_receipts_and_typing_reach_the_agents_stream(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    with events(agent, f"{AGENT}/events") as stream:
        sent = send(agent, cid, "Could you verify your email address?")
        mine = next_event(stream, "message", contact_id=cid)
        assert mine.json()["item"]["id"] == sent["id"]
        assert mine.json()["inactivity_deadline"]
        delivered = next_event(stream, "delivered", contact_id=cid)
        assert delivered.json()["item_id"] == sent["id"]
        read = next_event(stream, "read", contact_id=cid)
        assert (read.json()["role"], read.json()["up_to_item_id"]) == ("customer", sent["id"])
        started = next_event(stream, "typing", contact_id=cid)
        assert (started.json()["role"], started.json()["typing"]) == ("customer", True)
        stopped = next_event(stream, "typing", contact_id=cid)
        assert stopped.json()["typing"] is False
        answer = next_event(stream, "message", contact_id=cid)
        assert answer.json()["item"]["role"] == "customer"
        assert int(delivered.id) < int(read.id) < int(started.id) < int(stopped.id) < int(answer.id)
    item = next(i for i in transcript(agent, cid) if i["id"] == sent["id"])
    assert item["delivered_at"]
    assert item["read_at"]
    assert item["delivered_at"] <= item["read_at"]


def test_limits_per_channel_are_named(agent: httpx.Client, supervisor: httpx.Client) -> None:
    chat = contact_in_hand(agent, supervisor)
    assert send(agent, chat["id"], "x" * 4096)["segments"] is None
    too_long = agent.post(f"/v1/contacts/{chat['id']}/messages", json={"text": "x" * 4097})
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["loc"] == ["body", "text"]
    assert "at most 4,096 characters" in too_long.json()["detail"][0]["msg"]
    blank = agent.post(f"/v1/contacts/{chat['id']}/messages", json={"text": "  \n "})
    assert blank.status_code == 422
    subject = agent.post(f"/v1/contacts/{chat['id']}/messages", json={"text": "hi", "subject": "Hello"})
    assert subject.status_code == 422
    assert "only emails have a subject" in subject.json()["detail"][0]["msg"]

    sms = contact_in_hand(agent, supervisor, channel="sms", queue_id="sales", subject="Upgrade my plan")
    one = send(agent, sms["id"], "x" * 160)
    assert (one["segments"], one["encoding"]) == (1, "GSM-7")
    two = send(agent, sms["id"], "x" * 161)
    assert (two["segments"], two["encoding"]) == (2, "GSM-7")
    euro = send(agent, sms["id"], "€" * 80)  # two septets each
    assert (euro["segments"], euro["encoding"]) == (1, "GSM-7")
    emoji = send(agent, sms["id"], "Thanks 🙏 " * 10)
    assert (emoji["segments"], emoji["encoding"]) == (2, "UCS-2")
    longest = send(agent, sms["id"], "y" * 1600)
    assert longest["segments"] == 11
    over = agent.post(f"/v1/contacts/{sms['id']}/messages", json={"text": "y" * 1601})
    assert over.status_code == 422
    assert "an SMS is at most 1,600 characters" in over.json()["detail"][0]["msg"]
    assert agent.get(f"/v1/contacts/{sms['id']}/conversation").json()["limits"]["sms_segment_chars"] == 160

    email = contact_in_hand(agent, supervisor, channel="email", from_address="someone@example.org")
    long_subject = agent.post(f"/v1/contacts/{email['id']}/messages", json={"text": "Hi", "subject": "s" * 201})
    assert long_subject.status_code == 422
    assert long_subject.json()["detail"][0]["loc"] == ["body", "subject"]
    assert "an email subject is at most 200 characters" in long_subject.json()["detail"][0]["msg"]


def test_an_email_comes_as_a_thread_and_the_reply_quotes_it(agent: httpx.Client, supervisor: httpx.Client) -> None:
    _, _, caller = expected_customer(
        {
            "id": "c-000001",
            "queue_id": "billing",
            "subject": None,
            "from_address": KNOWN_PHONE,
            "entered_queue_at": "2026-01-01T00:00:00+00:00",
        }
    )
    contact = contact_in_hand(agent, supervisor, channel="email", from_address=present(caller).email)
    items = transcript(agent, contact["id"])
    thread = [i for i in items if i["kind"] == "message"]
    assert [i["role"] for i in thread] == ["customer", "agent", "customer"]
    assert [i["subject"] for i in thread] == [
        "Charged twice this month",
        "Re: Charged twice this month",
        "Re: Charged twice this month",
    ]
    assert thread[0]["created_at"] < thread[1]["created_at"] < thread[2]["created_at"]
    assert thread[2]["quoted"].startswith("Support team wrote:\n> Thank you for contacting us")
    assert thread[1]["delivered_at"]  # an earlier reply, long delivered

    reply = send(agent, contact["id"], "Hello,\n\nI have refunded the second payment.\n\nAlex")
    assert reply["subject"] == "Re: Charged twice this month"
    assert reply["quoted"].startswith(f"{present(caller).name} wrote:\n> Hello again,")
    items = wait_for_transcript(agent, contact["id"], lambda items: len(customer_lines(items)) == 3)
    answer = items[-1]
    assert answer["subject"] == "Re: Charged twice this month"
    assert answer["quoted"].startswith("Alex Morgan wrote:\n> Hello,")
    assert not any(i["read_at"] for i in items)  # email has no read receipts


def test_an_sms_customer_is_terse(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor, channel="sms", subject="Charged twice this month")
    intent, state, _ = expected_customer(contact)
    assert customer_lines(transcript(agent, contact["id"])) == [customers.fill(intent.opening_sms, state)]
    send(agent, contact["id"], "Can you verify your email address?")
    items = wait_for_transcript(agent, contact["id"], lambda items: len(customer_lines(items)) == 2)
    assert customer_lines(items)[1] == state.facts["email"]


def test_only_the_agent_who_holds_it_writes(url: str, agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    voice = new_contact(supervisor, "billing", from_address="+13125550100")  # queued: agent-001 has a chat
    assert [c["contact_id"] for c in agent.get(f"{AGENT}/conversations").json()] == [cid]
    assert [c["contact_id"] for c in supervisor.get(f"{AGENT}/conversations").json()] == [cid]
    with client(url, "agent-002-token") as other:
        assert other.get(f"{AGENT}/conversations").status_code == 403
        assert other.get(f"/v1/contacts/{cid}/messages").status_code == 403
        assert other.post(f"/v1/contacts/{cid}/messages", json={"text": "hi"}).status_code == 403
        assert other.post(f"/v1/contacts/{cid}/typing", json={"typing": True}).status_code == 403
        assert other.get(f"/v1/contacts/{cid}/conversation").status_code == 403
    refused = supervisor.post(f"/v1/contacts/{cid}/messages", json={"text": "hi"})
    assert refused.status_code == 403
    assert "only the agent who holds the contact" in refused.json()["detail"]
    assert supervisor.get(f"/v1/contacts/{cid}/messages").status_code == 200  # supervisors read any transcript
    assert agent.post("/v1/contacts/c-999999/messages", json={"text": "hi"}).status_code == 404

    assert agent.post(f"/v1/contacts/{cid}/hold").status_code == 200
    on_hold = agent.post(f"/v1/contacts/{cid}/messages", json={"text": "hi"})
    assert on_hold.status_code == 409
    assert on_hold.json() == {"detail": "contact is on_hold", "state": "on_hold"}
    assert agent.post(f"/v1/contacts/{cid}/typing", json={"typing": True}).status_code == 409
    assert agent.post(f"/v1/contacts/{cid}/resume").status_code == 200
    assert agent.post(f"/v1/contacts/{cid}/typing", json={"typing": True}).status_code == 204
    send(agent, cid, "Back with you.")

    assert agent.post(f"/v1/contacts/{cid}/end").status_code == 200
    ended = agent.post(f"/v1/contacts/{cid}/messages", json={"text": "one more thing"})
    assert ended.status_code == 409
    assert ended.json()["state"] == "after_contact_work"
    items = transcript(agent, cid)  # still readable in wrap-up
    assert items[-1]["kind"] == "conversation_ended"
    assert items[-1]["text"] == "Alex Morgan ended the conversation"
    assert agent.get(f"/v1/contacts/{cid}/conversation").json()["ended_reason"] == "agent_ended"

    assert supervisor.get(f"/v1/contacts/{voice['id']}/messages").status_code == 404


def test_pages_walk_back_without_gaps_or_repeats(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    cid = contact["id"]
    for n in range(25):
        send(agent, cid, f"note {n}")
    everything = transcript(agent, cid, limit=200)
    by_sevens = transcript(agent, cid, limit=7)
    assert [i["id"] for i in by_sevens] == [i["id"] for i in everything]
    assert [i["index"] for i in everything] == list(range(len(everything)))
    first = agent.get(f"/v1/contacts/{cid}/messages", params={"limit": 7}).json()
    assert first["has_more"]
    assert first["items"][-1]["id"] == everything[-1]["id"]
    oldest = agent.get(f"/v1/contacts/{cid}/messages", params={"before": everything[1]["id"]}).json()
    assert oldest == {"items": [everything[0]], "has_more": False}
    for bad in ({"before": "42"}, {"limit": 0}, {"limit": 201}):
        assert agent.get(f"/v1/contacts/{cid}/messages", params=bad).status_code == 422


def test_read_marker_and_unread_count(agent: httpx.Client, supervisor: httpx.Client) -> None:
    first = contact_in_hand(agent, supervisor)
    second = contact_in_hand(agent, supervisor)
    opening = transcript(agent, first["id"])[0]
    assert agent.get(f"/v1/contacts/{first['id']}/conversation").json()["unread"] == 1
    with events(agent, f"{AGENT}/events") as stream:
        read = agent.post(f"/v1/contacts/{first['id']}/read", json={"up_to_item_id": opening["id"]})
        assert read.status_code == 200
        assert read.json()["unread"] == 0
        assert read.json()["agent_last_read_item_id"] == opening["id"]
        after = send(agent, first["id"], "One moment.")
        # The marker is in the answer; the agent's own stream gets no `read` of theirs back (their next event
        # is their message), as it gets no `typing` of theirs.
        until_message = []
        for event in stream:
            until_message.append((event.event, event.json().get("role")))
            if event.event == "message" and event.json()["item"]["id"] == after["id"]:
                break
        assert ("read", "agent") not in until_message
    other = transcript(agent, second["id"])[0]["id"]
    wrong = agent.post(f"/v1/contacts/{first['id']}/read", json={"up_to_item_id": other})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "up_to_item_id"]
    assert agent.post(f"/v1/contacts/{first['id']}/read", json={"up_to_item_id": "nope"}).status_code == 422
    assert supervisor.post(f"/v1/contacts/{first['id']}/read", json={"up_to_item_id": opening["id"]}).status_code == 403


def test_a_retried_send_is_stored_once(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    path = f"/v1/contacts/{contact['id']}/messages"
    first = agent.post(path, json={"text": "Checking that for you."}, headers={"Idempotency-Key": "k-1"})
    again = agent.post(path, json={"text": "Checking that for you."}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert {k: again.json()[k] for k in ("id", "text", "created_at")} == {
        k: first.json()[k] for k in ("id", "text", "created_at")
    }
    assert "Idempotent-Replayed" not in first.headers
    other = agent.post(path, json={"text": "Something else"}, headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    mine = [i for i in transcript(agent, contact["id"]) if i["role"] == "agent" and i["kind"] == "message"]
    assert [i["text"] for i in mine] == ["Checking that for you."]


def test_hostile_text_is_kept_literally(agent: httpx.Client, supervisor: httpx.Client) -> None:
    contact = contact_in_hand(agent, supervisor)
    hostile = "[@click=app.quit]x[/] \x1b[2J\x1b]0;pwned\x07 שלום 👩🏽‍💻 <b>&amp;</b> {{agent.name}} " + "y" * 3900
    sent = send(agent, contact["id"], hostile)
    assert sent["text"] == hostile
    assert transcript(supervisor, contact["id"])[-1]["text"] == hostile
    surrogate = agent.post(
        f"/v1/contacts/{contact['id']}/messages",
        content=b'{"text": "\\ud800"}',
        headers={"Content-Type": "application/json"},
    )
    assert surrogate.status_code == 422
