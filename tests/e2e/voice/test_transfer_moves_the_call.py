"""A consult completed to another agent moves the call's audio to that agent's softphone, on real processes: the
mock's caller hangs up its call to the first agent's softphone and dials the expert's, and goes on with the script.

Two baresips of tests/support/baresip.py (the agent's and the expert's, each registered with the mock as their
desk's would be), driven through the desk's adapter; the mock's API used as the desks would. Media proven by its
content: the expert's recording read back by pocketsphinx holds the caller's words, the audio arriving at the first
agent's RTP port after the move is silence. Heavy (three softphones, speech): run alone.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from tests.e2e.voice.test_mock_voice_leg import (
    BILLING_SCRIPT,
    HEARD,
    QUIET,
    call_one,
    demo_clients,
    mock_contact_center,
    rings_here,
    silence,
)
from tests.support.baresip import next_call_event, running_baresip
from tests.support.speech import LoopbackRtpTap, content_words, recognise_utterances

pytestmark = pytest.mark.heavy  # three softphones and speech recognition: run alone (exclusive)

WAIT_S = 20.0  # the bound on every wait for the other side
FIRST_LINE_S = 11.0  # answered to the end of the caller's first line (after the agent's greeting's silence)
PICKUP_S = 15.0  # the bound on the consult leg being picked up (1 to 3 s of the mock's)
EXPERT_S = 16.0  # the expert listens: the caller's next line (it starts about 5 s after the move)
SETTLE_S = 1.0  # of the move, left to the first agent's call closing
MIN_OVERLAP = 3  # content words of the caller's lines recognised at the expert's softphone
EXPERT = "agent-002"


async def test_a_completed_consult_moves_the_callers_audio_to_the_experts_softphone(tmp_path: Path) -> None:
    seen: list[CallEvent] = []
    with (
        mock_contact_center(tmp_path / "mocks") as (url, _voice),
        running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "mic.wav", 120)) as agent_phone,
        running_baresip(tmp_path / "expert", "expert", tmp_path / "mic.wav") as expert_phone,
        LoopbackRtpTap(agent_phone.rtp_port) as at_agent,
    ):
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            expert = BaresipSoftphone(port=expert_phone.ctrl_port)
            await phone.connect()
            await expert.connect()
            calls, expert_calls = phone.events(), expert.events()
            try:
                await rings_here(agent, agent_phone.uri)
                await call_one(supervisor, f"/v1/agents/{EXPERT}/softphone", contact_uri=expert_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                contact = (await supervisor.post("/v1/contacts", json=body)).json()
                incoming = await next_call_event(calls, CallEventKind.INCOMING, seen, within_s=WAIT_S)
                (offer,) = (await agent.get("/v1/agents/agent-001/offers")).json()
                await call_one(agent, f"/v1/offers/{offer['id']}/accept")
                await phone.answer(incoming.call_id)
                await next_call_event(calls, CallEventKind.ESTABLISHED, seen, within_s=WAIT_S)
                answered = time.monotonic()
                await call_one(supervisor, f"/v1/agents/{EXPERT}/state", state="available")
                await asyncio.sleep(FIRST_LINE_S)
                before = at_agent.level(answered, time.monotonic())
                path = f"/v1/contacts/{contact['id']}"
                consult = await agent.post(f"{path}/consult", json={"target": {"kind": "agent", "id": EXPERT}})
                assert consult.status_code == 200, consult.text
                async with asyncio.timeout(PICKUP_S):
                    while (await agent.get(path)).json()["consult"]["state"] == "ringing":
                        await asyncio.sleep(0.2)
                await call_one(agent, f"{path}/consult/complete")
                moved = time.monotonic()
                ringing = await next_call_event(expert_calls, CallEventKind.INCOMING, seen, within_s=WAIT_S)
                await expert.answer(ringing.call_id)
                await next_call_event(expert_calls, CallEventKind.ESTABLISHED, seen, within_s=WAIT_S)
                closed = await next_call_event(calls, CallEventKind.CLOSED, seen, within_s=WAIT_S)
                await asyncio.sleep(EXPERT_S)
                after = at_agent.level(moved + SETTLE_S, time.monotonic())
                await call_one(supervisor, f"{path}/end")
                await next_call_event(expert_calls, CallEventKind.CLOSED, seen, within_s=WAIT_S)
            finally:
                await phone.aclose()
                await expert.aclose()

    recording = expert_phone.received()
    assert recording, f"the expert's softphone recorded nothing:\n{expert_phone.log()}"
    heard = recognise_utterances(recording[-1])
    said = " ".join(str(text) for role, text in BILLING_SCRIPT.lines if role == "customer")
    overlap = content_words(heard) & content_words(said)
    print(
        f"\nrecognised at the expert: {heard!r}\noverlap: {sorted(overlap)}\n"
        f"level (RMS) at the first agent: before the consult {before:.0f}, after the move {after:.0f}"
    )
    assert closed.call_id == incoming.call_id, "the first agent's call did not close at the move"
    assert ringing.peer.startswith("sip:2125550100@127.0.0.1:"), "the expert's call is not from the caller"
    assert before > HEARD, f"the first agent heard the caller at only {before:.0f} RMS before the consult"
    assert after < QUIET, f"the first agent still heard {after:.0f} RMS after the call moved"
    assert len(overlap) >= MIN_OVERLAP, f"the expert's softphone heard {heard!r}, not the caller's script"
