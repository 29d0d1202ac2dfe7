"""Awaiting our reply over the mock's HTTP API: the contact center holds it on the conversation, so a desk
that restarts (a new client, nothing kept) reads it back as it was; reading the messages never clears it, the agent's
reply does, and the customer's next message sets it again; the agent's stream carries it with each message, the
queues' figures count it, and the agent's conversations filter by it (a bad filter is a 422)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import AGENT, client, events, serving
from tests.support.conversation_rig import contact_in_hand, next_event, send, settings_for, transcript

CONVERSATIONS = f"{AGENT}/conversations"


def awaiting(c: httpx.Client, contact_id: str) -> str | None:
    since: str | None = c.get(f"/v1/contacts/{contact_id}/conversation").json()["awaiting_reply_since"]
    return since


def queue_awaiting(supervisor: httpx.Client, queue_id: str) -> int:
    stats = supervisor.get("/v1/queues/stats").json()
    return int(next(s for s in stats if s["queue_id"] == queue_id)["awaiting_reply"])


def test_awaiting_our_reply_is_held_across_a_desk_restart_and_cleared_only_by_the_agents_reply(
    tmp_path: Path,
) -> None:
    with serving(settings_for(tmp_path, speed=40)) as url, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        with client(url) as desk:  # the desk before its restart
            cid = contact_in_hand(desk, supervisor)["id"]
            opening = transcript(desk, cid)[0]
            assert awaiting(desk, cid) == opening["created_at"]  # the customer's opening message awaits us
            last = transcript(desk, cid)[-1]["id"]
            assert desk.post(f"/v1/contacts/{cid}/read", json={"up_to_item_id": last}).status_code in (200, 204)
            assert desk.get(f"/v1/contacts/{cid}/conversation").json()["unread"] == 0
            assert awaiting(desk, cid) == opening["created_at"], "read is not answered"
        with client(url) as desk:  # the desk started again: it knows nothing but what the contact center holds
            assert awaiting(desk, cid) == opening["created_at"]
            assert [c["contact_id"] for c in desk.get(CONVERSATIONS, params={"awaiting_reply": "true"}).json()] == [cid]
            assert desk.get(CONVERSATIONS, params={"awaiting_reply": "false"}).json() == []
            assert desk.get(CONVERSATIONS, params={"awaiting_reply": "maybe"}).status_code == 422
            assert queue_awaiting(supervisor, "billing") == 1
            with events(desk, f"{AGENT}/events") as stream:
                sent = send(desk, cid, "Could you verify your email address?")
                mine = next_event(stream, "message", contact_id=cid)
                while mine.json()["item"]["id"] != sent["id"]:
                    mine = next_event(stream, "message", contact_id=cid)
                assert mine.json()["awaiting_reply_since"] is None
                assert awaiting(desk, cid) is None
                assert queue_awaiting(supervisor, "billing") == 0
                answer = next_event(stream, "message", contact_id=cid)  # the simulated customer answers
            assert answer.json()["item"]["role"] == "customer"
            since = answer.json()["awaiting_reply_since"]
            assert since == answer.json()["item"]["created_at"]
            assert datetime.fromisoformat(since) > datetime.fromisoformat(opening["created_at"])
            assert awaiting(desk, cid) == since
            assert queue_awaiting(supervisor, "billing") == 1
