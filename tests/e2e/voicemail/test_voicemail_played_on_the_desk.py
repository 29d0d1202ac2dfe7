"""A voicemail on the real voice path, on the desk: a caller's message is left (the mock's box records and recognises
it), offered on the desk with its length and its recognised words, accepted, played with `L` through the desk's own
baresip (the call area says it plays, `L` again says it stopped), and called back with `B`.

The sound is proven by its content: the desk's baresip plays into an ALSA `file` sink over `null` (the ringer e2e's
way, no sound card needed), and that file holds the message's own samples, 10 ms blocks of the WAV the contact
center serves found sample for sample. Heavy (the servers, three softphones, speech): run alone (exclusive).
"""

from __future__ import annotations

import asyncio
import io
import shutil
import tempfile
import time
import wave
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.agent_desk.commands import Where, enabled, why_not
from agent_desktop.agent_desk.voice.call_media import LinkState
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.config import SoftphoneConfig
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.conftest import small_settings
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, wait_until
from tests.support.speech import content_words

pytestmark = pytest.mark.heavy  # the servers, the desk's baresip, the caller's and the box's, speech: run alone

WAIT_S = 30.0  # the bound on every wait for the other processes
LEFT_S = 90.0  # the bound on the message being left (speech synthesis, the call, recognition)
MAX_S = 6  # the queue's longest message: short, so the test is cheap (the caller is cut there)
CALLER_NUMBER = "(212) 555-0100"
FIRST_LINE = next(str(said) for role, said in shipped().for_call(None, "billing", 0).lines if role == "customer")
ASOUNDRC = 'pcm.headset {{ type file; slave.pcm "null"; file "{folder}/headset.raw"; format "raw" }}\n'
BLOCK = 160  # 10 ms of 8 kHz 16-bit: the unit the played file is searched for, sample for sample


@contextmanager
def mock_servers(folder: Path) -> Iterator[list[str]]:
    """The mock contact center (its voice leg on, calls recognised), CRM and presence over HTTP on loopback."""
    settings = small_settings(folder).model_copy(update={"call_transcripts": True, "offer_timeout_s": 120})
    running = serve_in_thread([create_ccaas(settings), create_crm(settings), create_presence(settings)])
    try:
        yield list(running.urls)
    finally:
        running.stop()


def leave_a_message(url: str) -> tuple[str, dict[str, Any], bytes]:
    """A billing caller sent to voicemail on the real path; once it is left: its contact id, voicemail and WAV."""
    auth = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
    with httpx.Client(base_url=url, headers=auth, timeout=10) as supervisor:
        assert supervisor.patch("/v1/queues/billing", json={"voicemail_max_s": MAX_S}).status_code == 200
        body = {"queue_id": "billing", "channel": "voice", "from_address": CALLER_NUMBER}
        contact_id = str(supervisor.post("/v1/contacts", json=body).json()["id"])
        chose = supervisor.post(f"/v1/contacts/{contact_id}/voicemail", json={"lines": ["not said"]})
        assert chose.status_code == 200, chose.text
        deadline = time.monotonic() + LEFT_S
        while (voicemail := supervisor.get(f"/v1/contacts/{contact_id}").json().get("voicemail")) is None:
            assert time.monotonic() < deadline, "the message was not left in time"
            time.sleep(0.5)
        audio = supervisor.get(f"/v1/contacts/{contact_id}/voicemail/audio")
        assert audio.status_code == 200, audio.text
        return contact_id, dict(voicemail), audio.content


def silence(path: Path) -> Path:
    """The agent's microphone (no call is made here): a second of silence, at G.711's rate."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\0\0" * 8000)
    return path


def peak(raw: bytes) -> int:
    samples = array("h", raw[: len(raw) - len(raw) % 2] or b"\0\0")
    return max(abs(min(samples)), max(samples))


def played(sinks: Path) -> bytes:
    path = sinks / "headset.raw"
    return path.read_bytes() if path.exists() else b""


async def test_a_voicemail_left_on_a_real_call_is_offered_played_and_called_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sinks = Path(tempfile.mkdtemp(prefix="vm-"))  # (short paths: ALSA and baresip cut long ones)
    home, runtime = sinks / "home", sinks / "run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    (home / ".asoundrc").write_text(ASOUNDRC.format(folder=sinks))
    monkeypatch.setenv("HOME", str(home))  # ALSA reads ~/.asoundrc in the desk's baresip
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # the desk's baresip folder: this test's, no other's
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent")  # a sound device, for the launcher: ALSA's file sink
    try:
        with mock_servers(tmp_path / "mocks") as (ccaas_url, crm_url, presence_url):
            settings = demo_settings(ccaas_url, crm_url, presence_url, outbox_path=tmp_path / "outbox.db")
            softphone = SoftphoneConfig(
                start=True,
                audio_source=f"aufile,{silence(sinks / 'mic.wav')}",
                audio_player="alsa,headset",
                ringer="alsa,headset",  # (where baresip's `play` plays: its alert device)
            )
            backends = build_backends(settings.model_copy(update={"softphone": softphone}))
            async with desk_app(backends).run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(
                    pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S
                )
                await asyncio.sleep(1.0)  # (its registration at the mock, sent as the link came up)
                contact_id, voicemail, wav = await asyncio.to_thread(leave_a_message, ccaas_url)
                await go_available(pilot)
                await wait_until(pilot, lambda: desk.offer is not None, "the voicemail offered", timeout_s=WAIT_S)
                offer = screen_text(pilot, "#offer")
                await pilot.press("a")
                await wait_until(pilot, lambda: contact_id in desk.held, "the voicemail in hand", timeout_s=WAIT_S)
                await wait_until(
                    pilot,
                    lambda: enabled(desk, Where())["play_message"],
                    lambda: f"the play key: {why_not('play_message', desk)}",
                    timeout_s=WAIT_S,
                )
                await pilot.press("L")
                await wait_until(
                    pilot,
                    lambda: "message playing" in screen_text(pilot, "#contact-detail"),
                    lambda: (
                        f"the message playing: {screen_text(pilot, '#contact-detail')!r}; the softphone's log: "
                        f"{[log.read_text()[-1500:] for log in runtime.glob('**/baresip.log')]}"
                    ),
                    timeout_s=WAIT_S,
                )
                deadline = time.monotonic() + WAIT_S
                while peak(played(sinks)) < 1000 and time.monotonic() < deadline:  # (the sink keeps no time)
                    await asyncio.sleep(0.2)
                await pilot.press("L")
                await wait_until(
                    pilot,
                    lambda: "message stopped" in screen_text(pilot, "#contact-detail"),
                    lambda: f"the message stopped: {screen_text(pilot, '#contact-detail')!r}",
                    timeout_s=WAIT_S,
                )
                heard = played(sinks)
                await wait_until(pilot, lambda: enabled(desk, Where())["call_back"], "the call-back key")
                await pilot.press("B")
                await wait_until(
                    pilot,
                    lambda: any(
                        held.contact.id != contact_id and held.contact.state is ContactState.CONNECTED
                        for held in desk.held.values()
                    ),
                    lambda: f"the call back placed: {[h.contact.id for h in desk.held.values()]}",
                    timeout_s=WAIT_S,
                )
                called = [held.contact for held in desk.held.values() if held.contact.id != contact_id]
    finally:
        shutil.rmtree(sinks, ignore_errors=True)

    print(f"\nvoicemail: {voicemail}\noffer: {offer!r}\nplayed: {len(heard)} bytes, peak {peak(heard)}")
    assert voicemail["audio"], voicemail
    assert voicemail["cut"], voicemail
    assert format_duration(voicemail["seconds"], "short") in offer, "the offer does not say the message's length"
    words = content_words(offer) & content_words(FIRST_LINE)
    assert len(words) >= 2, f"the offer shows no recognised words of {FIRST_LINE!r}: {offer!r}"
    with wave.open(io.BytesIO(wav)) as message:
        samples = message.readframes(message.getnframes())
    blocks = [samples[at : at + BLOCK * 2] for at in range(0, len(samples) - BLOCK * 2, BLOCK * 2)]
    spoken = [block for block in blocks if peak(block) > 1000]
    found = sum(heard.find(block) >= 0 for block in spoken)
    assert spoken, "the message's WAV holds no speech"
    assert found >= len(spoken) // 2, f"{found} of {len(spoken)} spoken blocks of the message played in the headset"
    assert [(contact.direction, contact.from_address) for contact in called] == [("outbound", "+12125550100")]
