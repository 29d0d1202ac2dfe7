"""The Twilio-shaped mock's conference instruction rings the worker's SIP `contact_uri`: a Worker whose
Attributes name `sip:agent@127.0.0.1:PORT` (UpdateWorker `Attributes`, as an admin writes them) gets a real call when
the desk accepts the voice reservation with the conference instruction (TaskRouter dials the worker's contact_uri when
the instruction has no `To`: docs/vendors/twilio-voice.md). The agent's softphone is a baresip driven through the
desk's adapter; the INVITE names the contact (the mock's id behind the Task SID), the caller's script arrives at the agent's RTP port through the mock's
relay, and the desk ending the call hangs the caller up. Heavy (softphones, speech synthesis).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import AgentState
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.twilio.settings import DEMO_API_KEY_SECRET, DEMO_API_KEY_SID, DEMO_WORKSPACE_SID
from tests.contract.twilio_contract import TwilioContractTransport
from tests.e2e.voice.test_mock_voice_leg import HEADER, silence
from tests.support.baresip import running_baresip
from tests.support.protocol_rigs.twilio import twilio_floor
from tests.support.speech import LoopbackRtpTap, LoopbackSipTap

pytestmark = pytest.mark.heavy  # softphones and speech synthesis: run alone (exclusive)

WAIT_S = 30.0  # the bound on each wait for the other side
SPOKEN_S = 12.0  # answered to the end of the caller's first line (after the agent's greeting's turn)
HEARD = 1000.0  # RMS over one second of it: speech arrived
CALLER_ID = "+15005550006"


async def next_event(events: asyncio.Queue[CallEvent], kind: CallEventKind) -> CallEvent:
    async with asyncio.timeout(WAIT_S):
        while (event := await events.get()).kind is not kind:
            pass
        return event


async def test_the_conference_instruction_rings_the_workers_sip_contact_uri(tmp_path: Path) -> None:
    settings = MockSettings(
        data_dir=tmp_path / "mocks", seed=7, customers=30, simulator=False, fresh=True, call_transcripts=False
    )
    async with twilio_floor(settings) as floor:
        with (
            running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "agent-mic.wav", 120)) as agent_phone,
            LoopbackSipTap(agent_phone.sip_port) as sip,
            LoopbackRtpTap(agent_phone.rtp_port) as at_agent,
        ):
            desk = floor.backend("agent-001", voice_caller_id=CALLER_ID)
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls: asyncio.Queue[CallEvent] = asyncio.Queue()

            async def follow() -> None:
                async for event in phone.events():
                    calls.put_nowait(event)

            following = asyncio.create_task(follow())
            try:
                async with httpx.AsyncClient(
                    base_url=floor.twilio_url,
                    auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
                    transport=TwilioContractTransport(),
                    timeout=5,
                ) as twilio:
                    worker = f"/v1/Workspaces/{DEMO_WORKSPACE_SID}/Workers/{floor.worker_sid('agent-001')}"
                    attributes = json.dumps({"contact_uri": agent_phone.uri, "full_name": "Alex Morgan"})
                    written = await twilio.post(worker, data={"Attributes": attributes})
                    assert written.status_code == 200, written.text
                    read_back = json.loads((await twilio.get(worker)).json()["attributes"])
                await desk.set_state(AgentState.AVAILABLE)
                async with httpx.AsyncClient(
                    base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
                ) as sup:
                    body = {"queue_id": "billing", "channel": "voice", "from_address": "(512) 555-0100"}
                    (await sup.post("/v1/contacts", json=body)).raise_for_status()
                (offer,) = await desk.list_offers()
                contact = await desk.accept_offer(offer.id)  # the conference instruction, no To
                incoming = await next_event(calls, CallEventKind.INCOMING)
                await phone.answer(incoming.call_id)
                await next_event(calls, CallEventKind.ESTABLISHED)
                answered = time.monotonic()
                await asyncio.sleep(SPOKEN_S)
                loudest = max(at_agent.level(answered + s, answered + s + 1) for s in range(int(SPOKEN_S) - 1))
                await desk.end_contact(contact.id)
                closed = await next_event(calls, CallEventKind.CLOSED)
            finally:
                following.cancel()
                await phone.aclose()
                await desk.aclose()

    invites = sip.requests("INVITE")
    bridge = next(iter(floor.twilio_app.state.twilio.voice.bridges.values()))
    engine_contact = floor.twilio_app.state.twilio.sids.key("WT", contact.id)  # the desk knows the Task SID
    print(f"\nloudest second at the agent: {loudest:.0f} RMS; closed: {closed}")
    assert read_back["contact_uri"] == agent_phone.uri, "the Worker's Attributes read back as written"
    assert bridge.to == agent_phone.uri, "the conference instruction dialled the worker's contact_uri"
    assert invites, "the worker's SIP contact_uri was not rung"
    assert f"{HEADER}: {engine_contact}\r\n" in invites[0], f"the INVITE names no contact:\n{invites[0]}"
    assert loudest > HEARD, f"the caller's script did not reach the agent ({loudest:.0f} RMS at most)"
    assert closed.call_id == incoming.call_id
