"""Coaching on how a call is said, from its audio, on the real voice path (docs/voice.md "Coaching on how it is
said"): the mock contact center's caller (a baresip speaking a short script) calls the agent's baresip, answered
through the desk's adapter; the agent's microphone says a long greeting, and the caller starts their line while the
agent is still speaking. The figures the contact center measures in its media relay and sends on the agent's stream
(the one the desk follows, parsed as the desk parses it) say the caller cut in once, the agent never, and give each
side a share of the talk that fits how long each WAV speaks. Heavy (two softphones, speech synthesis), cheap: no
recogniser, a call of about 10 s."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent
from agent_desktop.domain.models import CallCoachingEvent, ContactCenterEvent
from agent_desktop.transcripts.call_coaching import coaching_words
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript, CallScripts
from tests.contract.mocks.test_ccaas_api import client, events
from tests.e2e.voice.test_mock_voice_leg import answer_the_offered_call, demo_clients, mock_contact_center, rings_here
from tests.support.baresip import running_baresip
from tests.support.speech import SPEECH_FLOOR, speak_script, wav_samples

pytestmark = pytest.mark.heavy  # two softphones, espeak-ng and sox: run alone (exclusive)

RATE = 8000
# The caller waits out the agent's short turn (7 words at the transcript's pace, 2.8 s, then 1.2 s), then speaks.
SCRIPT = CallScript(
    intent="billing_inquiry",
    queue="billing",
    subject="Charged twice",
    lines=(
        ("agent", "Thank you for calling, how can I help?"),
        ("customer", "I was charged twice for my last order and I want my money back."),
    ),
)
# ...while the agent's greeting (about 6 s) goes on: the caller talks over the agent.
AGENT_SAYS = "Good morning and thank you for calling the billing team, my name is Alex and I will be glad to help."
READ_S = 45.0  # the bound on the stream's quiet, and on the whole call
SHARE_TOLERANCE_PCT = 12  # of the talk: each side's measured share against the one its WAV's speech gives


def speech_span(wav: Path) -> tuple[float, float]:
    """From the first to the last sample of speech in `wav`, in seconds."""
    samples = wav_samples(wav)
    loud = [i for i, sample in enumerate(samples) if abs(sample) > SPEECH_FLOOR]
    assert loud, f"no speech in {wav}"
    return loud[0] / RATE, loud[-1] / RATE


def coaching_of(url: str, contact_id: str) -> list[CallCoachingEvent]:
    """The contact's `call_coaching` events on the agent's stream, read as the desk reads them, until the final."""
    parse: TypeAdapter[Any] = TypeAdapter(ContactCenterEvent)
    found: list[CallCoachingEvent] = []
    with client(url) as agent, events(agent, "/v1/agents/agent-001/events", read_s=READ_S) as sse:
        for event in sse:
            if event.event != "call_coaching":
                continue
            figures = parse.validate_json(event.data)
            if isinstance(figures, CallCoachingEvent) and figures.contact_id == contact_id:
                found.append(figures)
                if figures.final:
                    return found
    return found


async def test_a_caller_who_talks_over_the_agent_is_measured_so(tmp_path: Path) -> None:
    spoken = speak_script([AGENT_SAYS], tmp_path / "agent-says.wav", pause_s=0.0, lead_s=0.3)
    agent_start, agent_end = spoken.spans[0]
    agent_mic = tmp_path / "agent-mic.wav"
    pad = ["sox", str(spoken.wav), str(agent_mic), "pad", "0", "60"]  # aufile's end would end the call
    subprocess.run(pad, check=True, timeout=60)
    seen: list[CallEvent] = []
    caller_wav = tmp_path / "caller.wav"
    with (
        mock_contact_center(tmp_path / "mocks") as (url, voice),
        running_baresip(tmp_path / "agent", "agent", agent_mic) as agent_phone,
    ):
        voice.scripts = CallScripts(script=(SCRIPT,))
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls = phone.events()
            reading: asyncio.Task[list[CallCoachingEvent]] | None = None
            try:
                await rings_here(agent, agent_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                contact = (await supervisor.post("/v1/contacts", json=body)).json()
                reading = asyncio.create_task(asyncio.to_thread(coaching_of, url, contact["id"]))
                await answer_the_offered_call(agent, phone, calls, seen)
                shutil.copy(voice.audio.folder / "calls" / f"{contact['id']}.wav", caller_wav)  # (gone at its end)
                async with asyncio.timeout(READ_S):  # the caller's script ends the call: the final figures
                    told = await reading
            finally:
                await phone.aclose()
                if reading is not None and not reading.done():
                    reading.cancel()

    caller_start, caller_end = speech_span(caller_wav)
    print(f"\nagent speaks {agent_start:.2f}-{agent_end:.2f} s, caller {caller_start:.2f}-{caller_end:.2f} s")
    print("\n".join(f"told: {figures.model_dump(exclude={'event_id', 'type'})}" for figures in told))
    assert caller_start < agent_end - 1.0, "the script does not have the caller talk over the agent"
    assert told, "no figures on the agent's stream"
    assert told[-1].final, f"no final figures on the agent's stream: {told}"
    final = told[-1]
    assert final.customer_interruptions == 1, final
    assert final.agent_interruptions == 0, final
    expected = round(100 * (agent_end - agent_start) / ((agent_end - agent_start) + (caller_end - caller_start)))
    assert abs(final.agent_share_pct - expected) <= SHARE_TOLERANCE_PCT, (final.agent_share_pct, expected)
    assert final.agent_share_pct + final.customer_share_pct == 100
    assert len(told) >= 2, "no live figures during the call, only the final ones"
    line = " ".join(part.text for part in coaching_words(final))
    assert "cut in: you 0 · caller 1" in line, line
