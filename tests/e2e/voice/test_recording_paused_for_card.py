"""A card number read out while the agent has the call's recording paused is nowhere in the recording (
docs/voice.md "Recording"): a real call from the mock's caller to a baresip agent, the mock's relay recording it;
the caller says a line, then reads a card number, then thanks the agent. The agent pauses the recording in the gap
before the number and resumes it in the gap after. Recognised (pocketsphinx, the call scripts' words and digits
read out, as the mock hears calls), the recording gives back the words said before the pause and after it, and no
digit at all; the paused span is silence to the sample, the timeline kept. Heavy (softphones, speech synthesis and
recognition): run alone (exclusive); about 30 s of call.
"""

from __future__ import annotations

import asyncio
import stat
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent
from agent_desktop_mocks.ccaas.call_transcripts.heard_calls import scripts_model
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScripts, shipped
from agent_desktop_mocks.speech.language_model import DIGIT_WORDS
from agent_desktop_mocks.speech.recogniser import StreamRecogniser
from tests.e2e.voice.test_mock_voice_leg import (
    answer_the_offered_call,
    call_one,
    demo_clients,
    mock_contact_center,
    rings_here,
    silence,
)
from tests.support.baresip import running_baresip
from tests.support.speech import RATE, content_words, wav_samples

pytestmark = pytest.mark.heavy  # softphones, speech synthesis and recognition: run alone (exclusive)

BEFORE = "Hello, I would like to pay my outstanding balance by card please."
CARD = "Sure, my card is four one one one one one one one one one one one one one one one."
AFTER = "Great, thank you so much for your help!"
GAP_S = 2 + 1.2  # between two lines: the script's silence, then the caller's usual pause (script_audio.py)
SCRIPT = CallScripts.model_validate(
    {
        "script": [
            {
                "intent": "payment",
                "queue": "billing",
                "subject": "Pay my balance",
                "lines": [
                    ["customer", BEFORE],
                    ["silence", 2],
                    ["customer", CARD],
                    ["silence", 2],
                    ["customer", AFTER],
                ],
            }
        ]
    }
)
END_S = 60.0  # the bound on the call's end after its script, and on the recogniser
MIN_WORDS = 2  # content words of a line said while recording that must come back (the recogniser's WER is ~75 %)


def seconds(wav: Path) -> float:
    return len(wav_samples(wav)) / RATE


def recognised(wav: Path, model_folder: Path) -> str:
    """What the mock's own recogniser (its words: the call scripts' lines and digits read out) hears in `wav`."""
    recogniser = StreamRecogniser("recording", RATE, scripts_model(shipped(), model_folder)).start()
    pcm = wav_samples(wav).tobytes()
    for start in range(0, len(pcm), 3200):
        assert recogniser.feed_waiting(pcm[start : start + 3200], END_S), "the recogniser took no more audio"
    recogniser.close()
    heard = [event.text for event in recogniser.events(END_S) if event.final]
    assert recogniser.wait(END_S), "the recogniser did not end"
    return " ".join(heard)


async def ended(agent: httpx.AsyncClient, contact_id: str) -> dict[str, Any]:
    """The recording once the call is over (the caller hangs up at its script's end), waited for with a bound."""
    deadline = time.monotonic() + END_S
    while time.monotonic() < deadline:
        recording: dict[str, Any] = (await agent.get(f"/v1/contacts/{contact_id}/recording")).json()
        if recording["state"] == "ended":
            return recording
        await asyncio.sleep(0.25)
    raise AssertionError(f"the call's recording did not end in {END_S:g} s: {recording}")


async def test_a_card_number_read_while_paused_is_nowhere_in_the_recording(tmp_path: Path) -> None:
    seen: list[CallEvent] = []
    with (
        mock_contact_center(tmp_path / "mocks") as (url, voice),
        running_baresip(tmp_path / "agent", "agent", silence(tmp_path / "agent-mic.wav", 120)) as agent_phone,
    ):
        voice.scripts = SCRIPT
        before_s, card_s = [seconds(await asyncio.to_thread(voice.audio.line, line)) for line in (BEFORE, CARD)]
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls = phone.events()
            try:
                await rings_here(agent, agent_phone.uri)
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                contact = (await supervisor.post("/v1/contacts", json=body)).json()
                await answer_the_offered_call(agent, phone, calls, seen)
                answered = time.monotonic()
                # half way through the gap before the number, and half way through the gap after it
                await asyncio.sleep(max(0.0, answered + before_s + GAP_S / 2 - time.monotonic()))
                await call_one(agent, f"/v1/contacts/{contact['id']}/recording/pause")
                await asyncio.sleep(max(0.0, answered + before_s + GAP_S + card_s + GAP_S / 2 - time.monotonic()))
                await call_one(agent, f"/v1/contacts/{contact['id']}/recording/resume")
                recording = await ended(agent, contact["id"])
                refused = await agent.get(f"/v1/contacts/{contact['id']}/recording/audio")
                audio = await supervisor.get(f"/v1/contacts/{contact['id']}/recording/audio")
            finally:
                await phone.aclose()
        written = voice.recordings.path_of(contact["id"])
        mode = stat.S_IMODE(written.stat().st_mode)

    assert refused.status_code == 403, "an agent heard a call's recording"
    assert audio.status_code == 200, audio.text
    wav = tmp_path / "recording.wav"
    wav.write_bytes(audio.content)
    samples = wav_samples(wav)
    (span,) = recording["paused_spans"]
    paused = samples[round(span["start_s"] * RATE) : round(span["end_s"] * RATE)]
    heard = await asyncio.to_thread(recognised, wav, tmp_path / "model")
    words = heard.split()
    print(f"\nrecording: {recording}\nrecognised: {heard!r}")
    assert mode == 0o600, f"the recording is readable by others: {oct(mode)}"
    assert abs(len(samples) / RATE - recording["seconds"]) < 0.01
    assert span["end_s"] - span["start_s"] > card_s, "the pause did not cover the number read out"
    assert paused, "the paused span is not in the recording"
    assert not any(paused), "something said while paused is in the recording"
    read_out = set(CARD.lower().replace(".", "").split()) & set(DIGIT_WORDS)  # four, one
    assert not [word for word in words if word in read_out], f"digits of the card are in the recording: {heard!r}"
    for line in (BEFORE, AFTER):
        found = content_words(heard) & content_words(line)
        assert len(found) >= MIN_WORDS, f"{line!r} was not recognised in the recording: {heard!r}"
