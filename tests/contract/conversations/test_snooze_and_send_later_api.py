"""Snooze and send later over the mock's HTTP API: held by the contact center, so a desk that
restarts (a new client, nothing kept) reads them back; a "thanks" after our reply leaves a snoozed chat asleep and
awaiting nothing, a question wakes it and the agent's stream says so; the customer writing first cancels a scheduled
reply and the stream hands its text back; otherwise it is sent at its time, and a snooze ends at its own; the queues'
figures count both. Every bad request gets a precise 4xx: a time in the past, too far, or without its zone, a reply
over the channel's limit, nothing to wake or cancel, a contact no longer in hand. The simulated customers are slowed
so that only the test's own customer writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import AGENT, client, events, serving
from tests.support.conversation_rig import contact_in_hand, next_event, send, settings_for, transcript

QUIET = 0.001  # the simulated customers' pace: they answer nothing within the test


def conversation(c: httpx.Client, contact_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = c.get(f"/v1/contacts/{contact_id}/conversation").json()
    return answer


def customer_writes(supervisor: httpx.Client, contact_id: str, text: str) -> None:
    answer = supervisor.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})
    assert answer.status_code == 201, answer.text


def queue_counts(supervisor: httpx.Client, queue_id: str) -> tuple[int, int]:
    stats = supervisor.get("/v1/queues/stats").json()
    mine = next(s for s in stats if s["queue_id"] == queue_id)
    return int(mine["snoozed"]), int(mine["scheduled_replies"])


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def test_bad_times_and_contacts_not_in_hand_get_a_precise_refusal(tmp_path: Path) -> None:
    with (
        serving(settings_for(tmp_path, speed=QUIET)) as url,
        client(url, DEMO_SUPERVISOR_TOKEN) as supervisor,
        client(url) as desk,
    ):
        cid = contact_in_hand(desk, supervisor)["id"]
        snooze, reply = f"/v1/contacts/{cid}/snooze", f"/v1/contacts/{cid}/scheduled-reply"
        past = desk.put(snooze, json={"until": later(minutes=-1)})
        assert past.status_code == 422
        assert "in the past" in past.text
        assert desk.put(snooze, json={"until": later(days=31)}).status_code == 422
        no_zone = desk.put(snooze, json={"until": "2099-01-01T09:00:00"})
        assert no_zone.status_code == 422
        assert "timezone" in no_zone.text.lower()
        assert desk.put(reply, json={"text": "Later.", "send_at": later(seconds=-5)}).status_code == 422
        too_long = desk.put(reply, json={"text": "x" * 5000, "send_at": later(hours=1)})
        assert too_long.status_code == 422
        assert desk.delete(snooze).json()["detail"] == "the conversation is not snoozed"
        assert desk.delete(reply).status_code == 409
        assert desk.put("/v1/contacts/c-999999/snooze", json={"until": later(hours=1)}).status_code == 404
        assert conversation(desk, cid)["snoozed_until"] is None  # nothing refused was kept
        assert conversation(desk, cid)["scheduled_reply"] is None
        assert desk.post(f"/v1/contacts/{cid}/end").status_code == 200  # in wrap-up: no longer in hand to snooze
        ended = desk.put(snooze, json={"until": later(hours=1)})
        assert ended.status_code == 409, ended.text
        assert desk.put(reply, json={"text": "Later.", "send_at": later(hours=1)}).status_code == 409


def test_snooze_and_send_later_are_held_woken_cancelled_and_sent_by_the_rule(tmp_path: Path) -> None:
    with serving(settings_for(tmp_path, speed=QUIET)) as url, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        with client(url) as desk:  # the desk before its restart
            cid = contact_in_hand(desk, supervisor)["id"]
            send(desk, cid, "Your refund is on its way.")  # our reply: the case is resolved
            until = later(hours=1)
            snoozed = desk.put(f"/v1/contacts/{cid}/snooze", json={"until": until})
            assert snoozed.status_code == 200, snoozed.text
            assert snoozed.json()["inactivity_deadline"] is None  # the customer's silence ends nothing meanwhile
        with client(url) as desk:  # the desk started again: it knows nothing but what the contact center holds
            assert datetime.fromisoformat(conversation(desk, cid)["snoozed_until"]) == datetime.fromisoformat(until)
            assert queue_counts(supervisor, "billing") == (1, 0)
            with events(desk, f"{AGENT}/events", last_event_id=None) as stream:
                customer_writes(supervisor, cid, "Thanks!")
                thanks = next_event(stream, "message", contact_id=cid)
                assert thanks.json()["item"]["text"] == "Thanks!"
                assert conversation(desk, cid)["snoozed_until"] is not None, "a thanks does not reopen it"
                assert conversation(desk, cid)["awaiting_reply_since"] is None
                customer_writes(supervisor, cid, "Sorry, is it the full amount?")
                woken = next_event(stream, "snooze", contact_id=cid).json()
                assert (woken["snoozed_until"], woken["woken_by"]) == (None, "customer")
                assert conversation(desk, cid)["awaiting_reply_since"] is not None

                text = "I'll write again when the bank confirms."
                put = desk.put(f"/v1/contacts/{cid}/scheduled-reply", json={"text": text, "send_at": later(hours=2)})
                assert put.json()["scheduled_reply"]["text"] == text
                assert queue_counts(supervisor, "billing") == (0, 1)
                customer_writes(supervisor, cid, "Hello? Anyone there?")
                cancelled = next_event(
                    stream, "scheduled_reply", contact_id=cid, outcome="cancelled_by_customer"
                ).json()
                assert (cancelled["outcome"], cancelled["text"]) == ("cancelled_by_customer", text)
                assert conversation(desk, cid)["scheduled_reply"] is None

                soon = "Yes, the full amount: 42.00."
                desk.put(f"/v1/contacts/{cid}/scheduled-reply", json={"text": soon, "send_at": later(seconds=1)})
                desk.put(f"/v1/contacts/{cid}/snooze", json={"until": later(seconds=1.5)})
                sent = next_event(stream, "scheduled_reply", contact_id=cid, outcome="sent").json()
                assert sent["text"] == soon
                message = next(item for item in transcript(desk, cid) if item["id"] == sent["item_id"])
                assert (message["role"], message["text"]) == ("agent", soon)
                assert next_event(stream, "snooze", contact_id=cid, woken_by="time")
            assert conversation(desk, cid)["scheduled_reply"] is None
            assert conversation(desk, cid)["snoozed_until"] is None
            assert queue_counts(supervisor, "billing") == (0, 0)
