"""A caller leaves a message on the real voice path: the queue sends them to voicemail, the mock's voicemail box
answers their softphone's call itself, records the caller's side of the relay and recognises it. The message's
length, `cut` and transcript come from that audio (the queue's limit set short, so the caller's lines go past it and
the message is cut there), and its audio is served as the WAV that was recorded.

The caller is the mock's own baresip speaking the customer's lines of the call's script (espeak-ng); a softphone
registered for the demo agent (who stays away, so nobody is offered the call) puts the mock on the real voice path.
A voicemail folder that is full (a real small filesystem, filled) refuses the recording cleanly: the message is
still left, as a simulated caller's with no audio, and the caller keeps their place. Heavy (two softphones, speech
synthesis and recognition): run alone.
"""

from __future__ import annotations

import asyncio
import io
import wave
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from tests.e2e.voice.test_mock_voice_leg import call_one, demo_clients, mock_contact_center
from tests.support.small_disk import small_disk
from tests.support.speech import content_words

pytestmark = pytest.mark.heavy  # softphones, speech synthesis and recognition: run alone (exclusive)

MAX_S = 7  # the queue's longest message: the caller's first line (about 4 s) whole, the second cut
LEFT_S = 90.0  # the bound on the message being left (speech synthesis, two baresips, the recording, recognition)
FIRST_LINE = next(str(said) for role, said in shipped().for_call(None, "billing", 0).lines if role == "customer")
MIN_OVERLAP = 2  # content words of the caller's first line that the message's transcript must give back


async def message_of(supervisor: httpx.AsyncClient, contact_id: str) -> dict[str, Any]:
    """The contact's voicemail once it is left (bounded)."""
    async with asyncio.timeout(LEFT_S):
        while True:
            contact = (await supervisor.get(f"/v1/contacts/{contact_id}")).json()
            if contact.get("voicemail") is not None:
                return dict(contact["voicemail"])
            await asyncio.sleep(0.5)


async def test_a_message_left_on_a_real_call_is_recorded_recognised_and_cut_at_the_limit(tmp_path: Path) -> None:
    with mock_contact_center(tmp_path / "mocks", transcripts=True) as (url, _):
        async with demo_clients(url) as (agent, supervisor):
            await call_one(agent, "/v1/agents/agent-001/softphone", contact_uri="sip:agent@127.0.0.1:5999")
            patched = await supervisor.patch("/v1/queues/billing", json={"voicemail_max_s": MAX_S})
            assert patched.status_code == 200, patched.text
            body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
            contact = (await supervisor.post("/v1/contacts", json=body)).json()
            audio_path = f"/v1/contacts/{contact['id']}/voicemail/audio"
            assert (await supervisor.get(audio_path)).status_code == 404  # no message yet
            chose = await supervisor.post(f"/v1/contacts/{contact['id']}/voicemail", json={"lines": ["not said"]})
            assert chose.status_code == 200, chose.text
            message = await message_of(supervisor, contact["id"])
            audio = await supervisor.get(audio_path)
            other = await agent.get(audio_path)  # the demo agent holds no offer of it: not theirs to hear

    print(f"\nmessage: {message}")
    assert message["audio"], "the message was left with no audio: nobody answered the caller's call"
    assert message["cut"], "a caller past the queue's limit was not cut"
    assert MAX_S - 1.5 <= message["seconds"] <= MAX_S, message["seconds"]
    said = content_words(" ".join(message["transcript"]))
    assert "not said" not in " ".join(message["transcript"])
    assert len(said & content_words(FIRST_LINE)) >= MIN_OVERLAP, f"heard {sorted(said)}, not {FIRST_LINE!r}"
    assert audio.status_code == 200, audio.text
    with wave.open(io.BytesIO(audio.content)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2)
        assert wav.getnframes() / 8000 == pytest.approx(message["seconds"], abs=0.01)
    assert other.status_code in (403, 409), other.text


async def test_a_full_voicemail_folder_refuses_a_recording_cleanly_and_the_next_is_recorded(tmp_path: Path) -> None:
    with small_disk(tmp_path / "mocks" / "voice" / "voicemails", size="1m") as disk:
        disk.fill()
        with mock_contact_center(tmp_path / "mocks", transcripts=True) as (url, _):
            async with demo_clients(url) as (agent, supervisor):
                await call_one(agent, "/v1/agents/agent-001/softphone", contact_uri="sip:agent@127.0.0.1:5999")
                patched = await supervisor.patch("/v1/queues/billing", json={"voicemail_max_s": 3})
                assert patched.status_code == 200, patched.text
                messages, audios, ids = [], [], []
                for _ in range(2):  # the first on the full disk, the second once it has room again
                    body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                    contact = (await supervisor.post("/v1/contacts", json=body)).json()
                    chose = await supervisor.post(f"/v1/contacts/{contact['id']}/voicemail", json={"lines": ["hi"]})
                    assert chose.status_code == 200, chose.text
                    messages.append(await message_of(supervisor, contact["id"]))
                    audios.append(await supervisor.get(f"/v1/contacts/{contact['id']}/voicemail/audio"))
                    ids.append(contact["id"])
                    disk.free()
                waiting = [found["id"] for found in (await supervisor.get("/v1/queues/billing/waiting")).json()]
        left = sorted(path.name for path in (tmp_path / "mocks" / "voice" / "voicemails").glob("*.wav"))
    refused, recorded = messages
    print(f"\nrefused: {refused}\nrecorded: {recorded}")
    assert not refused["audio"], refused
    assert audios[0].status_code == 404, audios[0].text
    assert refused["transcript"], "the refused message lost the caller's words"
    assert recorded["audio"], "after a refusal, the next message was not recorded"
    assert audios[1].status_code == 200, audios[1].text
    assert recorded["cut"], recorded
    assert 2 <= recorded["seconds"] <= 3, recorded
    assert ids == waiting, "a caller who left a message lost their place"
    assert left == [f"{ids[1]}.wav"], f"a partial recording was left on the full disk: {left}"
