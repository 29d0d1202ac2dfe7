"""Calls with sound, "Done when", on real processes: the desk signs in with its own softphone (`[softphone] start = true`, a
baresip it starts), tells the mock contact center where to ring it, and a call the mock offers is a real SIP call
from the mock's caller that the agent answers with `a`, hears, holds with `h`, and that ends when the caller's script
does, with the wrap-up in front. The call's area shows the caller's level as the mock's relay passes it on: it rises
while the caller speaks and shows nothing heard on hold.

The mock contact center, CRM and presence are served over HTTP in this process's threads (as the other e2e tests
serve them); the desk is Pilot on the backends `build_backends` makes from that configuration. Media is proven by its
content: what arrived at the desk's softphone (PCMU on the loopback, tests/support/speech.py's tap) is read back by
pocketsphinx and must overlap the caller's script; the hold by the level arriving there; and the agent's microphone
(a WAV of a sentence) read back from what arrived at the caller's port. Heavy (softphones, speech): run alone.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.config import SoftphoneConfig
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.vocabulary import ContactState
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.ccaas.voice.voice_leg import VoiceLeg
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.conftest import small_settings
from tests.support.baresip import udp_ports_of
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, wait_until
from tests.support.speech import LoopbackRtpTap, content_words, recognise_utterances, speak

pytestmark = pytest.mark.heavy  # softphones, speech synthesis and recognition: run alone (exclusive)

WAIT_S = 30.0  # the bound on every wait for the other processes
END_S = 120.0  # the bound on the caller's script running to its end (about 50 s)
SPOKEN_S = 24.0  # answered to the end of the caller's second line (the agent's turns are silences of the script)
HOLD_S = 5.0
SETTLE_S = 1.5  # of the hold and of the resume, left to the re-INVITE
QUIET = 200.0  # RMS (of 32767) under which nothing is heard
HEARD = 1000.0  # RMS over which something is heard (speech ~2000 with its pauses)
MIN_OVERLAP = 3  # content words recognised
CALLER_NUMBER = "(212) 555-0100"  # the mock's caller sends it as its From user: how the desk matches the call
BILLING_SCRIPT = shipped().for_call(None, "billing", 0)  # a call put in billing without the IVR: its first script
LOOK_S = 0.25  # how often the test reads the caller's level off the call's area
CALLER_BAR = re.compile(r"caller (█*)░*")
AGENT_SAYS = "I was charged twice on my last order and I would like to get my money back"  # tests/e2e/voice's words


@contextmanager
def mock_servers(folder: Path) -> Iterator[tuple[list[str], VoiceLeg]]:
    """The mock contact center (its voice leg on), CRM and presence over HTTP on loopback."""
    settings = small_settings(folder).model_copy(update={"call_transcripts": False, "offer_timeout_s": 120})
    ccaas = create_ccaas(settings)
    running = serve_in_thread([ccaas, create_crm(settings), create_presence(settings)])
    try:
        yield list(running.urls), ccaas.state.voice_leg
    finally:
        running.stop()


def softphone_desk(urls: list[str], folder: Path, microphone: Path) -> AgentDesktopApp:
    """The desk on the mocks at `urls` (contact center, CRM, presence) starting its own baresip, `microphone` its sound
    and no player; its outbox in `folder`."""
    ccaas_url, crm_url, presence_url = urls
    settings = demo_settings(ccaas_url, crm_url, presence_url, outbox_path=folder / "outbox.db")
    softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{microphone}", audio_player="")
    return desk_app(build_backends(settings.model_copy(update={"softphone": softphone})))


def agent_microphone(tmp_path: Path) -> Path:
    """The agent's microphone: the sentence said over and over, with a long tail (aufile ends the call with its WAV),
    in a short folder: baresip 1.0.0 cuts a long `audio_source` (a test's folder under the suite's scratch one)."""
    del tmp_path
    return speak(AGENT_SAYS, Path(tempfile.mkdtemp(prefix="mic-")) / "agent-mic.wav", repeats=8, gap_s=0.5, pad_s=240)


def agent_rtp_port(phone: BaresipSoftphone) -> int:
    """Where the desk's own baresip receives the call's audio: its even UDP port whose odd neighbour it holds too."""
    assert phone.launcher is not None
    assert phone.launcher.process is not None
    ports = udp_ports_of(phone.launcher.process.pid) - {phone.launcher.sip_port}
    rtp = [port for port in ports if port % 2 == 0 and port + 1 in ports]
    assert len(rtp) == 1, f"the desk's softphone holds UDP ports {sorted(ports)}: no single RTP port among them"
    return rtp[0]


def place_call(ccaas_url: str) -> str:
    with httpx.Client(base_url=ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}) as boss:
        body = {"queue_id": "billing", "channel": "voice", "from_address": CALLER_NUMBER}
        answer = boss.post("/v1/contacts", json=body, timeout=10)
        assert answer.status_code in (200, 201), answer.text
        contact_id: str = answer.json()["id"]
        return contact_id


def caller_level_shown(pilot: Pilot[None]) -> int | None:
    """The filled cells of the caller's level bar in the call's area (None: no bar drawn)."""
    found = CALLER_BAR.search(screen_text(pilot, "#contact-detail"))
    return len(found[1]) if found else None


async def levels_shown(pilot: Pilot[None], seconds: float) -> list[int | None]:
    """The caller's level as drawn, read every LOOK_S for `seconds` (the desk runs meanwhile)."""
    seen = []
    for _ in range(round(seconds / LOOK_S)):
        await asyncio.sleep(LOOK_S)
        seen.append(caller_level_shown(pilot))
    return seen


def media_state(pilot: Pilot[None], contact_id: str) -> MediaState | None:
    media = agent_screen(pilot).desk.softphone.media(contact_id)
    return media.state if media is not None else None


async def test_a_call_rings_the_desks_own_softphone_is_heard_both_ways_held_and_ended_by_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))  # the desk's baresip folder: this test's, no other's
    microphone = agent_microphone(tmp_path)
    with mock_servers(tmp_path / "mocks") as ((ccaas_url, crm_url, presence_url), voice):
        settings = demo_settings(ccaas_url, crm_url, presence_url, outbox_path=tmp_path / "outbox.db")
        softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{microphone}", audio_player="")
        backends = build_backends(settings.model_copy(update={"softphone": softphone}))
        phone = backends.softphone
        assert isinstance(phone, BaresipSoftphone)
        app = desk_app(backends)
        async with app.run_test(size=(120, 40)) as pilot:
            desk = agent_screen(pilot).desk
            await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S)
            await go_available(pilot)
            contact_id = await asyncio.to_thread(place_call, ccaas_url)
            await wait_until(pilot, lambda: desk.offer is not None, "the voice offer", timeout_s=WAIT_S)
            # The mock rings the softphone the desk registered: its call matched to the offer by the caller's number.
            await wait_until(
                pilot,
                lambda: media_state(pilot, contact_id) is MediaState.RINGING,
                lambda: f"the call to ring the desk's softphone (offer: {screen_text(pilot, '#offer')!r})",
                timeout_s=WAIT_S,
            )
            await pilot.press("a")
            await wait_until(
                pilot,
                lambda: "☎ connected" in screen_text(pilot, "#contact-detail"),
                lambda: f"the call answered: {screen_text(pilot, '#contact-detail')!r}",
                timeout_s=WAIT_S,
            )
            answered = time.monotonic()
            caller_port = voice.caller_rtp_port(contact_id)
            assert caller_port is not None, "the mock has no caller on the call"
            with LoopbackRtpTap(agent_rtp_port(phone)) as at_agent, LoopbackRtpTap(caller_port) as at_caller:
                shown_speaking = await levels_shown(pilot, SPOKEN_S)  # (the call runs on its own processes)
                spoken = at_agent.level(answered, time.monotonic())
                await pilot.press("h")
                await wait_until(pilot, lambda: media_state(pilot, contact_id) is MediaState.ON_HOLD, "the hold")
                held = time.monotonic()
                await asyncio.sleep(SETTLE_S)
                shown_on_hold = await levels_shown(pilot, HOLD_S - SETTLE_S)
                on_hold = at_agent.level(held + SETTLE_S, time.monotonic())
                await pilot.press("h")
                await wait_until(pilot, lambda: media_state(pilot, contact_id) is MediaState.CONNECTED, "the resume")
                resumed = time.monotonic()
                await asyncio.sleep(HOLD_S)
                after_hold = at_agent.level(resumed + SETTLE_S, time.monotonic())
                await wait_until(
                    pilot,
                    lambda: (
                        desk.held.get(contact_id) is not None
                        and desk.held[contact_id].contact.state is ContactState.AFTER_CONTACT_WORK
                    ),
                    "the caller's script to end the contact",
                    timeout_s=END_S,
                )
                await wait_until(pilot, lambda: wrap_up_in_front(pilot), "the wrap-up of the call in front")
                heard_by_agent = at_agent.wav(tmp_path / "at-agent.wav", answered, held)
                heard_by_caller = at_caller.wav(tmp_path / "at-caller.wav", answered, held)
            media = desk.softphone.media(contact_id)

    at_agent_words = await asyncio.to_thread(recognise_utterances, heard_by_agent)
    at_caller_words = await asyncio.to_thread(recognise_utterances, heard_by_caller)
    said = " ".join(str(text) for role, text in BILLING_SCRIPT.lines[:4] if role == "customer")
    caller_overlap = content_words(at_agent_words) & content_words(said)
    agent_overlap = content_words(at_caller_words) & content_words(AGENT_SAYS)
    print(
        f"\ncaller said:  {said!r}\nat the agent: {at_agent_words!r}\noverlap:      {sorted(caller_overlap)}\n"
        f"agent said:   {AGENT_SAYS!r}\nat the caller: {at_caller_words!r}\noverlap:      {sorted(agent_overlap)}\n"
        f"level (RMS) at the agent: speaking {spoken:.0f}, on hold {on_hold:.0f}, resumed {after_hold:.0f}\n"
        f"caller's level shown: speaking {shown_speaking}, on hold {shown_on_hold}"
    )
    assert len(caller_overlap) >= MIN_OVERLAP, f"the desk's softphone heard {at_agent_words!r}, not the caller"
    assert len(agent_overlap) >= MIN_OVERLAP, f"the caller heard {at_caller_words!r}, not the agent's microphone"
    assert spoken > HEARD, f"the caller's voice arrived at {spoken:.0f} RMS"
    assert on_hold < QUIET, f"the agent still heard the caller at {on_hold:.0f} RMS on hold"
    assert after_hold > HEARD, f"the caller was not heard again after the resume ({after_hold:.0f} RMS)"
    assert max(level or 0 for level in shown_speaking) >= 2, f"the caller spoke, the area showed {shown_speaking}"
    assert 0 in shown_speaking, f"the caller's pauses never showed as quiet: {shown_speaking}"
    assert shown_on_hold, "the level was not read on hold"
    assert all(level == 0 for level in shown_on_hold), f"on hold the area showed {shown_on_hold}"
    assert media is not None
    assert media.state is MediaState.ENDED, f"the call did not end at the softphone: {media}"


def wrap_up_in_front(pilot: Pilot[None]) -> bool:
    """The wrap-up pane on show, holding the ended call (with no contact to wrap up it asks to end one with e)."""
    pane = pilot.app.screen.query_one("#wrap-up")
    return bool(pane.display) and "End a contact with e" not in screen_text(pilot, "#wrap-up-contact")
