"""Where it rings: `[softphone] ringer` is baresip's `audio_alert`, a device apart from the headset's `audio_player`,
and a call auto-accepted (answered as it rings, so no ring is heard) plays a short chime there first (baresip's own
`message.wav`, by `play` over `ctrl_tcp`).

Proven by content, on real processes: the desk's own baresip (launched as `[softphone] start = true` does) plays
into two ALSA devices of the test's own, each a `file` sink over ALSA's `null` (no sound card needed): what lands in
the ringer's file holds the chime's samples, sox's decoding of the µ-law WAV sample for sample; the headset's file
is silent (the caller's microphone is). An ALSA `null` sink keeps no time, so baresip writes its silence as fast
as the disk takes it while a device is open: the call is kept under a second. Run alone (exclusive)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from array import array
from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.launcher import BaresipLauncher, LaunchPlan
from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.voice.call_media import MediaState
from tests.e2e.voice.test_desk_softphone import ANSWER_S, CALLER, WAIT_S, silence
from tests.support.baresip import CtrlLink, running_baresip
from tests.support.desk_app import desk_app
from tests.support.in_process.scenes import go_available, scene_mocks
from tests.support.scenes.pilot_steps import agent_screen, wait_until

pytestmark = pytest.mark.heavy  # two softphones beside the desk: run alone (exclusive)

CHIME = Path("/usr/share/baresip/message.wav")
ASOUNDRC = """\
pcm.ringer {{ type file; slave.pcm "null"; file "{folder}/ringer.raw"; format "raw" }}
pcm.headset {{ type file; slave.pcm "null"; file "{folder}/headset.raw"; format "raw" }}
"""


def chime_samples(folder: Path) -> bytes:
    """The chime as baresip plays it: its µ-law WAV decoded to 16-bit samples (G.711's table: sox's is the same)."""
    decoded = folder / "chime.raw"
    command = ["sox", str(CHIME), "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", str(decoded)]
    subprocess.run(command, check=True, timeout=30)
    return decoded.read_bytes()


def peak(raw: bytes, limit: int = 1 << 20) -> int:
    """The loudest sample in the first `limit` bytes of raw 16-bit audio (0 for none)."""
    samples = array("h", raw[: limit - limit % 2] or b"\0\0")
    return max(abs(min(samples)), max(samples))


async def test_an_auto_accepted_call_chimes_on_the_ringer_and_not_in_the_headset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sinks = Path(tempfile.mkdtemp(prefix="ring-"))  # (short paths: ALSA and baresip cut long ones)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(ASOUNDRC.format(folder=sinks))
    monkeypatch.setenv("HOME", str(home))  # ALSA reads ~/.asoundrc in the desk's baresip
    chime = chime_samples(tmp_path)
    mocks = scene_mocks(tmp_path / "mocks")
    plan = LaunchPlan(
        tmp_path / "softphone",
        audio_source=f"aufile,{silence(sinks / 'mic.wav')}",
        audio_player="alsa,headset",
        audio_alert="alsa,ringer",
    )
    launcher = BaresipLauncher(plan, sound_device=lambda: True)  # the test's own ALSA devices need no card
    backends = mocks.backends()
    backends.softphone = BaresipSoftphone(answer_s=ANSWER_S, launcher=launcher)
    await mocks.set_auto_accept("billing", "voice", 1)
    try:
        with running_baresip(tmp_path / "caller", CALLER, silence(tmp_path / "caller.wav")) as caller:
            link = CtrlLink(caller.ctrl_port)
            async with desk_app(backends, clock=mocks.clock.now).run_test(size=(120, 40)) as pilot:
                await go_available(pilot)
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: launcher.process is not None, "the desk's baresip", timeout_s=WAIT_S)
                await mocks.place_call(f"+{CALLER}", channel="voice")
                await wait_until(pilot, lambda: desk.offer is not None, "the voice offer", timeout_s=WAIT_S)
                contact_id = desk.offer.contact.id if desk.offer is not None else ""
                mocks.time.advance(1)  # the queue's auto-accept: the desk accepts it, no key pressed
                await wait_until(pilot, lambda: contact_id in desk.held, "accepted by itself", timeout_s=WAIT_S)
                await asyncio.to_thread(link.command, "dial", launcher.uri)

                def call_is(state: MediaState) -> bool:
                    media = desk.softphone.media(contact_id)
                    return media is not None and media.state is state

                await wait_until(
                    pilot,
                    lambda: call_is(MediaState.CONNECTED),
                    "answered as it rang",
                    timeout_s=WAIT_S,
                )
                baresip = launcher.process
                await asyncio.to_thread(link.command, "hangup")  # (the sinks keep no time: end it at once)
                await wait_until(
                    pilot,
                    lambda: call_is(MediaState.ENDED),
                    "the call ended",
                    timeout_s=WAIT_S,
                )
            link.close()
        files = (sinks / "ringer.raw", sinks / "headset.raw")
        ringer, headset = (path.read_bytes() if path.exists() else b"" for path in files)
    finally:
        await launcher.stop()
        await mocks.aclose()
        shutil.rmtree(sinks, ignore_errors=True)
    assert baresip is not None
    assert baresip.returncode is not None
    assert baresip.returncode >= 0, "the desk's baresip ended cleanly, not by a crash in its close (a core file)"
    assert peak(headset) < 200, "the headset stays silent"
    assert peak(ringer) > 4000, "the ringer rang"
    # The chime's 10 ms blocks found sample for sample: most in the ringer's file (61 of 78 here: ALSA's file sink over
    # `null` keeps no time, and some periods come out altered), none in the headset's.
    blocks = [chime[at : at + 160] for at in range(0, len(chime) - 160, 160)]
    assert sum(ringer.find(block) >= 0 for block in blocks) >= len(blocks) // 2, "the chime is in the ringer's file"
    assert not any(headset.find(block) >= 0 for block in blocks), "and not in the headset's"
