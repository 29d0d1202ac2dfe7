"""The mock contact center's voice leg on real processes: a call offered to an agent whose softphone is registered is
a real SIP call from a caller of the mock's, speaking the call's script (espeak-ng), and the contact and the call
follow each other.

The agent's softphone is a baresip of tests/support/baresip.py driven only through the desk's adapter
(`BaresipSoftphone`), after the contact is accepted on the mock's API as the desk would. Media is proven by its
content: pocketsphinx reads the caller's script back from what the agent's softphone recorded; the hold by the level
arriving at the agent (silence) and at the caller (the hold music, from the mock's media relay, which both sides'
audio still passes through after the hold); the caller's script ending hangs up and the mock's event stream says the
contact ended by the customer. Heavy (softphones, speech): run alone.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, EndedBy
from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.ccaas.voice.voice_leg import VoiceLeg
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.conftest import small_settings
from tests.contract.mocks.test_ccaas_api import client, events
from tests.support.baresip import next_call_event, running_baresip
from tests.support.speech import RATE, LoopbackRtpTap, LoopbackSipTap, content_words, recognise_utterances

pytestmark = pytest.mark.heavy  # softphones, speech synthesis and recognition: run alone (exclusive)

WAIT_S = 30.0  # the bound on every wait for the other side
END_S = 120.0  # the bound on the caller's script running to its end (about 50 s)
SPOKEN_S = 24.0  # answered to the end of the caller's second line: the agent's greeting, two lines and a reply
HOLD_S = 5.0
SETTLE_S = 1.5  # of the hold, left to the re-INVITE and the music's start
QUIET = 200.0  # RMS (of 32767) under which nothing is heard
HEARD = 1000.0  # RMS over which something is heard (speech ~2000 with its pauses, the hold music ~4000)
MIN_OVERLAP = 3  # content words of the caller's first two lines recognised at the agent's side
HEADER = "X-Agent-Desktop-Contact"
BILLING_SCRIPT = shipped().for_call(None, "billing", 0)  # a call put in billing without the IVR: its first script


@contextmanager
def mock_contact_center(folder: Path, *, transcripts: bool = False) -> Iterator[tuple[str, VoiceLeg]]:
    """The mock on its own port; `transcripts`: calls' live transcripts on (what a call's audio says, recognised)."""
    settings = small_settings(folder).model_copy(update={"call_transcripts": transcripts, "offer_timeout_s": 120})
    app = create_app(settings)
    running = serve_in_thread([app])
    try:
        yield running.urls[0], app.state.voice_leg
    finally:
        running.stop()


def silence(path: Path, seconds: float) -> Path:
    """The agent's microphone: silence, so what reaches the caller on hold is the mock's music alone."""
    command = ["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)]
    subprocess.run(command, check=True, timeout=60)
    return path


def contact_events(url: str, contact_id: str) -> list[dict[str, Any]]:
    """The contact's `contact` events on the supervisor's stream, from its start."""
    found = []
    with client(url, DEMO_SUPERVISOR_TOKEN) as supervisor, events(supervisor, "/v1/supervisor/events", read_s=2) as sse:
        try:
            for event in sse:
                if event.event == "contact" and event.json()["contact"]["id"] == contact_id:
                    found.append(event.json()["contact"])
        except httpx.ReadTimeout:
            pass
    return found


@asynccontextmanager
async def demo_clients(url: str) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """The demo agent's and the demo supervisor's clients of the mock at `url`."""
    auth = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
    boss = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
    async with (
        httpx.AsyncClient(base_url=url, headers=auth, timeout=10) as agent,
        httpx.AsyncClient(base_url=url, headers=boss, timeout=10) as supervisor,
    ):
        yield agent, supervisor


async def rings_here(agent: httpx.AsyncClient, contact_uri: str) -> None:
    """The demo agent's softphone registered at `contact_uri`, and the agent Available: their calls ring it."""
    await call_one(agent, "/v1/agents/agent-001/softphone", contact_uri=contact_uri)
    await call_one(agent, "/v1/agents/agent-001/state", state="available")


async def call_one(api: httpx.AsyncClient, path: str, **body: object) -> dict[str, Any]:
    response = await (api.put(path, json=body) if body else api.post(path))
    assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
    answer: dict[str, Any] = response.json()
    return answer


async def answer_the_offered_call(
    agent: httpx.AsyncClient, phone: BaresipSoftphone, calls: AsyncIterator[CallEvent], seen: list[CallEvent]
) -> CallEvent:
    """The call ringing the agent's softphone for the one offer the agent has, accepted at the contact center and
    answered on the softphone, until it is established: its ringing event."""
    incoming = await next_call_event(calls, CallEventKind.INCOMING, seen)
    (offer,) = (await agent.get("/v1/agents/agent-001/offers")).json()
    await call_one(agent, f"/v1/offers/{offer['id']}/accept")
    await phone.answer(incoming.call_id)
    await next_call_event(calls, CallEventKind.ESTABLISHED, seen)
    return incoming


async def test_the_mocks_caller_is_heard_held_to_music_and_hangs_up_as_the_customer(tmp_path: Path) -> None:
    seen: list[CallEvent] = []
    with (
        mock_contact_center(tmp_path / "mocks") as (url, voice),
        running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "agent-mic.wav", 300)) as agent_phone,
        LoopbackSipTap(agent_phone.sip_port) as sip,
        LoopbackRtpTap(agent_phone.rtp_port) as at_agent,
    ):
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls = phone.events()
            try:
                await rings_here(agent, agent_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                contact = (await supervisor.post("/v1/contacts", json=body)).json()
                incoming = await answer_the_offered_call(agent, phone, calls, seen)
                answered = time.monotonic()
                caller_port = voice.caller_rtp_port(contact["id"])
                assert caller_port is not None, "the mock has no caller on the call"
                relay = voice.relay(contact["id"])
                assert relay is not None, "the call's audio does not pass through the mock"
                with LoopbackRtpTap(caller_port) as at_caller:
                    await asyncio.sleep(SPOKEN_S)
                    spoken = at_agent.level(answered, time.monotonic())
                    before_hold = at_caller.level(answered, time.monotonic())
                    await call_one(agent, f"/v1/contacts/{contact['id']}/hold")
                    await phone.hold(incoming.call_id)
                    held = time.monotonic()
                    await asyncio.sleep(HOLD_S)
                    agent_on_hold = at_agent.level(held + SETTLE_S, time.monotonic())
                    music = at_caller.level(held + SETTLE_S, time.monotonic())
                    await call_one(agent, f"/v1/contacts/{contact['id']}/resume")
                    await phone.resume(incoming.call_id)
                    resumed = time.monotonic()
                    await asyncio.sleep(SETTLE_S)
                    relayed_at_resume = relay.relayed.copy()
                    await asyncio.sleep(SETTLE_S)
                    music_after = at_caller.level(resumed + SETTLE_S, time.monotonic())
                    relayed_after = relay.relayed - relayed_at_resume
                    async with asyncio.timeout(END_S):
                        while (closed := await anext(calls)).kind is not CallEventKind.CLOSED:
                            seen.append(closed)
            finally:
                await phone.aclose()
        changes = await asyncio.to_thread(contact_events, url, contact["id"])

    invites = sip.requests("INVITE")
    recording = agent_phone.received()
    assert recording, f"the agent's softphone recorded nothing:\n{agent_phone.log()}"
    heard = recognise_utterances(recording[0])
    said = " ".join(str(text) for role, text in BILLING_SCRIPT.lines[:4] if role == "customer")
    overlap = content_words(heard) & content_words(said)
    print(
        f"\nsaid:       {said!r}\nrecognised: {heard!r}\noverlap:    {sorted(overlap)}\n"
        f"level (RMS) at the agent: speaking {spoken:.0f}, on hold {agent_on_hold:.0f}; at the caller: before the "
        f"hold {before_hold:.0f}, on hold {music:.0f}, resumed {music_after:.0f}"
    )
    assert invites, "no INVITE reached the agent's softphone"
    assert f"{HEADER}: {contact['id']}\r\n" in invites[0], f"the INVITE names no contact:\n{invites[0]}"
    assert incoming.peer.startswith("sip:2125550100@127.0.0.1:"), "the caller's number is its From user"
    assert len(overlap) >= MIN_OVERLAP, f"the agent's side heard {heard!r}, not the caller's script"
    assert spoken > HEARD, f"the caller's voice arrived at {spoken:.0f} RMS"
    assert agent_on_hold < QUIET, f"the agent still heard the caller at {agent_on_hold:.0f} RMS on hold"
    assert before_hold < QUIET, f"the caller heard {before_hold:.0f} RMS from a silent agent before the hold"
    assert music > HEARD, f"the caller on hold heard only {music:.0f} RMS: no hold music"
    assert music_after < QUIET, f"the hold music went on at {music_after:.0f} RMS after resume"
    assert relayed_after["customer"] > 0, "after the hold the caller's audio no longer passes through the mock"
    assert relayed_after["agent"] > 0, "after the hold the agent's audio no longer passes through the mock"
    assert closed.ended_by is EndedBy.REMOTE, f"the caller's script ended, but the call ended by {closed}"
    ended = [change for change in changes if change["state"] == "after_contact_work"]
    assert ended, f"the caller hung up, but the contact did not end: {changes}"
    assert ended[0]["ended_by"] == "customer", f"the mock did not end the contact as a hang-up: {ended[0]}"


async def test_a_caller_gone_while_ringing_stops_the_ring_and_a_second_call_waits_for_the_agent(
    tmp_path: Path,
) -> None:
    seen: list[CallEvent] = []
    with (
        mock_contact_center(tmp_path / "mocks") as (url, _voice),
        running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "agent-mic.wav", 120)) as agent_phone,
        LoopbackSipTap(agent_phone.sip_port) as sip,
    ):
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls = phone.events()
            try:
                await rings_here(agent, agent_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                first = (await supervisor.post("/v1/contacts", json=body)).json()
                second = (await supervisor.post("/v1/contacts", json=body | {"from_address": "(212) 555-0199"})).json()
                ringing = await next_call_event(calls, CallEventKind.INCOMING, seen)
                waiting = (await supervisor.get(f"/v1/contacts/{second['id']}")).json()
                await call_one(supervisor, f"/v1/contacts/{first['id']}/abandon")
                gone = await next_call_event(calls, CallEventKind.CLOSED, seen)
                next_call = await next_call_event(calls, CallEventKind.INCOMING, seen)
                await call_one(supervisor, f"/v1/contacts/{second['id']}/abandon")
                await next_call_event(calls, CallEventKind.CLOSED, seen)
            finally:
                await phone.aclose()
        first_changes = await asyncio.to_thread(contact_events, url, first["id"])

    invites = sip.requests("INVITE")
    kinds = [(event.kind, event.call_id) for event in seen]
    assert waiting["state"] == "queued", f"a second call reached an agent already ringing: {waiting['state']}"
    assert kinds.index((CallEventKind.CLOSED, ringing.call_id)) < kinds.index(
        (CallEventKind.INCOMING, next_call.call_id)
    )
    assert gone.call_id == ringing.call_id
    assert next_call.call_id != ringing.call_id
    assert f"{HEADER}: {first['id']}\r\n" in invites[0]
    assert f"{HEADER}: {second['id']}\r\n" in invites[-1]
    assert first_changes[-1]["state"] == "abandoned"
