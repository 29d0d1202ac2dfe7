"""A supervisor takes a call over, on real processes: the mock's caller hangs up its call to the
agent's softphone and dials the supervisor's, and what the supervisor says reaches the caller; the agent's part
of the contact is in wrap-up, ended by the take-over.

Two baresips of tests/support/baresip.py (the agent's, silent, and the supervisor's, its microphone a sentence said
over and over), driven through the desk's adapter; each registered with the mock as their desk would. Media proven
by its content: the audio arriving at the caller's RTP port after the take-over, read back by pocketsphinx, holds
the supervisor's words; before it (the agent silent) nothing is heard there. Heavy (three softphones, speech):
run alone (exclusive).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from tests.e2e.voice.test_mock_voice_leg import QUIET, call_one, demo_clients, mock_contact_center, rings_here, silence
from tests.support.baresip import next_call_event, running_baresip
from tests.support.speech import LoopbackRtpTap, content_words, recognise_utterances, speak

pytestmark = pytest.mark.heavy  # three softphones and speech recognition: run alone (exclusive)

WAIT_S = 20.0  # the bound on every wait for the other side
BEFORE_S = 2.0  # the agent's call up, before the take-over: the caller hears the silent agent
LISTEN_S = 8.0  # the caller listens to the supervisor after the take-over (the sentence takes about 5 s)
MIN_OVERLAP = 3  # content words of the supervisor's sentence recognised at the caller's side
SUPERVISOR_SAYS = "I was charged twice on my last order and I would like to get my money back"  # tests/e2e/voice's


async def test_a_call_taken_over_goes_on_with_the_supervisor_and_the_agent_wraps_up(tmp_path: Path) -> None:
    seen: list[CallEvent] = []
    # (a short folder: baresip 1.0.0 cuts a long `audio_source`)
    says = speak(SUPERVISOR_SAYS, Path(tempfile.mkdtemp(prefix="mic-")) / "sup.wav", repeats=4, gap_s=0.5, pad_s=60)
    with (
        mock_contact_center(tmp_path / "mocks") as (url, voice),
        running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "mic.wav", 120)) as agent_phone,
        running_baresip(tmp_path / "sup", "supervisor", says) as supervisor_phone,
    ):
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            boss_phone = BaresipSoftphone(port=supervisor_phone.ctrl_port)
            await phone.connect()
            await boss_phone.connect()
            calls, boss_calls = phone.events(), boss_phone.events()
            try:
                await rings_here(agent, agent_phone.uri)
                await call_one(supervisor, "/v1/supervisor/softphone", contact_uri=supervisor_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                contact = (await supervisor.post("/v1/contacts", json=body)).json()
                path = f"/v1/contacts/{contact['id']}"
                incoming = await next_call_event(calls, CallEventKind.INCOMING, seen, within_s=WAIT_S)
                (offer,) = (await agent.get("/v1/agents/agent-001/offers")).json()
                await call_one(agent, f"/v1/offers/{offer['id']}/accept")
                caller_port = voice.caller_rtp_port(contact["id"])
                assert caller_port is not None, "the mock started no caller for the call"
                with LoopbackRtpTap(caller_port) as at_caller:
                    await phone.answer(incoming.call_id)
                    await next_call_event(calls, CallEventKind.ESTABLISHED, seen, within_s=WAIT_S)
                    answered = time.monotonic()
                    await call_one(supervisor, f"{path}/monitoring", mode="monitor")
                    await asyncio.sleep(BEFORE_S)
                    taken = await supervisor.post(f"{path}/monitoring/takeover")
                    assert taken.status_code == 200, taken.text
                    took = time.monotonic()
                    ringing = await next_call_event(boss_calls, CallEventKind.INCOMING, seen, within_s=WAIT_S)
                    await boss_phone.answer(ringing.call_id)
                    await next_call_event(boss_calls, CallEventKind.ESTABLISHED, seen, within_s=WAIT_S)
                    closed = await next_call_event(calls, CallEventKind.CLOSED, seen, within_s=WAIT_S)
                    await asyncio.sleep(LISTEN_S)
                    listened = time.monotonic()
                before = at_caller.level(answered, took)
                heard = await asyncio.to_thread(
                    recognise_utterances, at_caller.wav(tmp_path / "at-caller.wav", took, listened)
                )
                at_agent = (await agent.get(path)).json()  # what the agent's desk reads of it
                await boss_phone.hang_up(ringing.call_id)
                await next_call_event(boss_calls, CallEventKind.CLOSED, seen, within_s=WAIT_S)
            finally:
                await phone.aclose()
                await boss_phone.aclose()

    overlap = content_words(heard) & content_words(SUPERVISOR_SAYS)
    print(f"\nrecognised at the caller after the take-over: {heard!r}\noverlap: {sorted(overlap)}")
    assert closed.call_id == incoming.call_id, "the agent's call did not close at the take-over"
    assert ringing.peer.startswith("sip:2125550100@127.0.0.1:"), "the supervisor's call is not from the caller"
    assert before < QUIET, f"the caller heard {before:.0f} RMS from the silent agent before the take-over"
    assert len(overlap) >= MIN_OVERLAP, f"the caller heard {heard!r}, not the supervisor"
    assert (at_agent["state"], at_agent["ended_by"]) == ("after_contact_work", "takeover"), (
        "the agent is not in wrap-up"
    )
    assert at_agent["taken_over_by"]["name"] == "Riley Chen"
