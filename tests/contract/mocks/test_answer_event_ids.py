"""An action's answer names the events of the caller's stream that carry it (`X-Event-Ids`, docs/mock-apis.md),
over HTTP on a real server: the id in the header is the id under which the stream then carries the same
contact or message, and the other events of the same action (the agent going Busy) are not named.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
from httpx_sse import ServerSentEvent

from tests.contract.mocks.test_ccaas_api import AGENT, events, new_contact, pending_offer
from tests.support.conversation_rig import KNOWN_PHONE, agent, supervisor, url  # noqa: F401 (fixtures)

HEADER = "X-Event-Ids"


def named(answer: httpx.Response) -> list[int]:
    assert answer.status_code in (200, 201), answer.text
    return [int(i) for i in answer.headers[HEADER].split(",") if i]


def upto(stream: Iterator[ServerSentEvent], last_id: int) -> dict[int, ServerSentEvent]:
    """The stream's events by id, read up to `last_id`."""
    seen: dict[int, ServerSentEvent] = {}
    for event in stream:
        seen[int(event.id)] = event
        if int(event.id) >= last_id:
            return seen
    raise AssertionError(f"the stream ended before event {last_id}")


def test_each_action_names_the_events_that_carry_its_answer(agent: httpx.Client, supervisor: httpx.Client) -> None:
    with events(agent, f"{AGENT}/events") as stream:
        available = agent.put(f"{AGENT}/state", json={"state": "available", "reason": None})
        [state_id] = named(available)
        contact = new_contact(supervisor, channel="chat", from_address=KNOWN_PHONE, subject="Charged twice")
        accepted = agent.post(f"/v1/offers/{pending_offer(agent)['id']}/accept")
        [accept_id] = named(accepted)
        held = agent.post(f"/v1/contacts/{contact['id']}/hold")
        [hold_id] = named(held)
        [resume_id] = named(agent.post(f"/v1/contacts/{contact['id']}/resume"))
        sent = agent.post(f"/v1/contacts/{contact['id']}/messages", json={"text": "Let me look."})
        [message_id] = named(sent)
        ended = agent.post(f"/v1/contacts/{contact['id']}/end")
        [end_id] = named(ended)
        seen = upto(stream, end_id)
    refused = agent.post(f"/v1/contacts/{contact['id']}/hold")  # in wrap-up: refused, and so no events
    assert refused.status_code == 409
    assert HEADER not in refused.headers

    assert state_id < accept_id < hold_id < resume_id < message_id < end_id
    assert seen[state_id].event == "agent_state"
    assert seen[state_id].json()["agent"] == available.json()
    assert seen[accept_id].event == "contact"
    assert seen[accept_id].json()["contact"] == accepted.json()
    assert seen[hold_id].json()["contact"] == held.json()
    assert seen[hold_id].json()["contact"]["state"] == "on_hold"
    assert seen[resume_id].json()["contact"]["state"] == "connected"
    assert seen[message_id].event == "message"
    assert seen[message_id].json()["item"] == sent.json()
    assert seen[end_id].event == "contact"
    assert seen[end_id].json()["contact"]["state"] == "after_contact_work"
    # The accept also made the agent Busy and the chat's `participant_joined`: events the answer does not
    # carry, so not named (a client applies them from the stream).
    after_accept = [e.event for i, e in seen.items() if accept_id < i < hold_id]
    assert after_accept == ["agent_state", "participant_joined"]


def test_a_rejects_answer_names_its_offer_closed_event_and_typing_and_read_marks_echo_nothing(
    agent: httpx.Client, supervisor: httpx.Client
) -> None:
    with events(agent, f"{AGENT}/events") as stream:
        agent.put(f"{AGENT}/state", json={"state": "available", "reason": None})
        new_contact(supervisor)
        offer = pending_offer(agent)
        rejected = agent.post(f"/v1/offers/{offer['id']}/reject")
        [closed_id] = named(rejected)
        seen = upto(stream, closed_id)
    assert seen[closed_id].event == "offer_closed"
    assert seen[closed_id].json()["offer"]["id"] == offer["id"]
