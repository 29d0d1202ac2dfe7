"""Pausing a call's recording at the mock contact center (docs/voice.md "Recording"): the agent on the call pauses
and resumes it; anything else gets a refusal that says what is wrong (not a call, not in hand, not theirs)."""

from __future__ import annotations

import httpx

from tests.contract.mocks.test_ccaas_api import agent, client, new_contact, supervisor

__all__ = ["agent", "supervisor"]  # the mock's demo agent and supervisor, as fixtures
from tests.support.conversation_rig import contact_in_hand


def test_the_agent_pauses_and_resumes_their_calls_recording(agent: httpx.Client, supervisor: httpx.Client) -> None:
    call = contact_in_hand(agent, supervisor, channel="voice")
    paused = agent.post(f"/v1/contacts/{call['id']}/recording/pause")
    assert paused.status_code == 200, paused.text
    assert paused.json()["state"] == "paused"
    assert agent.post(f"/v1/contacts/{call['id']}/hold").status_code == 200
    assert agent.get(f"/v1/contacts/{call['id']}/recording").json()["state"] == "paused", "the hold lost the pause"
    resumed = agent.post(f"/v1/contacts/{call['id']}/recording/resume").json()
    assert resumed["state"] == "recording"
    (span,) = resumed["paused_spans"]
    assert span["end_s"] is not None
    assert span["end_s"] >= span["start_s"]
    # a call simulated (no softphone registered) has no sound to give a supervisor
    assert supervisor.get(f"/v1/contacts/{call['id']}/recording/audio").status_code == 404


def test_a_chat_has_no_recording_to_pause(agent: httpx.Client, supervisor: httpx.Client) -> None:
    chat = contact_in_hand(agent, supervisor, channel="chat")
    refused = agent.post(f"/v1/contacts/{chat['id']}/recording/pause")
    assert refused.status_code == 422
    assert refused.json()["detail"] == f"contact {chat['id']} is a chat contact: only calls are recorded"


def test_a_pause_on_a_call_not_in_hand_says_why(ccaas_url: str, agent: httpx.Client, supervisor: httpx.Client) -> None:
    call = contact_in_hand(agent, supervisor, channel="voice")
    waiting = new_contact(supervisor, channel="voice", from_address="+15125550199")  # queued: nobody's yet
    assert agent.post(f"/v1/contacts/{waiting['id']}/recording/pause").status_code == 403
    assert agent.post(f"/v1/contacts/{call['id']}/end").status_code == 200
    ended = agent.post(f"/v1/contacts/{call['id']}/recording/pause")
    assert ended.status_code == 409
    assert ended.json()["detail"] == (
        f"contact {call['id']} is after_contact_work: a recording is paused on a call in hand"
    )
    with client(ccaas_url, "agent-002-token") as other:
        assert other.post(f"/v1/contacts/{call['id']}/recording/pause").status_code == 403
    assert supervisor.post(f"/v1/contacts/{call['id']}/recording/pause").status_code == 403  # the agent's to pause
