"""The recording's pause for card data, measured on a real call in the recording itself, beside the same pause asked
of the mock's API in the same call.

- `recording_pause_key_to_silence_ms`: the desk (Pilot, `[softphone] start = true`, the mock contact center, CRM and
  presence served in this process's threads over HTTP, as bench_dial.py serves them) on a real call from the mock's
  caller, whose microphone is a square wave for the whole call: every sample the relay records of it is at the
  caller's level, so the recording's first silent sample is where the pause began. The agent presses `P`; from the
  key press to that first silent sample, its position mapped onto the monotonic clock through the recording's own
  start (`CallRecording.started`: the mock's recordings run on `time.monotonic`, the clock the key is timed on).
  It includes the desk's command, its POST to the mock, and the relay dropping the next packet of the caller's.
  Then `P` again resumes it, and the caller is recorded a while before the next pause. Target p99 ≤ 200 ms.
- `recording_pause_api_to_silence_ms`: the reference, in the same call, the pauses interleaved with the desk's: the
  same pause asked by a POST straight to the mock's API as the call's agent (no desk), from just before the request
  is sent to the first silent sample, read the same way.
- `recording_pause_key_over_api`: the two figures' ratios at p50 and p99 (none where the reference is not above
  zero), and what the desk adds in milliseconds.

Each of the first two rows also gives `to_paused_p50` / `_p99`: from the key (or the request) to the moment the mock
paused the recording (its paused span's start, on the same clock), and the third their ratios: the request's part,
without the packet's.

The recording's resolution is a packet (20 ms of audio): the relay places each packet where it arrived, so the
first silent sample is where the first dropped packet would have begun, up to a packet before or after the moment
the pause took effect; the reference can read a few milliseconds below zero.

Media is proven by its content (`pause_silence`): for every pause measured, the samples just before its first silent
sample are at the caller's level, every sample from there to the resume is zero, and the caller's level is back
just after; a recording that is empty, silent where it should not be, or holds audio while paused ends the module
with an error, not a figure. The first pause of each kind is a warm-up, not counted. Every wait is bounded (WAIT_S);
a softphone or a mock that dies ends the module with an error.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import wave
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.figures import percentile, timing

if TYPE_CHECKING:
    import httpx
    from textual.pilot import Pilot

    from agent_desktop.agent_desk.desk.model import Desk
    from agent_desktop_mocks.ccaas.voice.media.call_recording import CallRecording

PAUSES = int(os.environ.get("BENCH_PAUSE_SAMPLES", "20"))  # measured pauses of each kind (desk, API)
WAIT_S = 30.0
RATE = 8000  # the recording's (G.711's)
PAUSED_S = 0.4  # how long each pause is held before the resume
RECORDED_S = 0.6  # the caller recorded between a resume and the next pause
TONE = 8000  # the caller's square wave, each sample ±TONE (about -12 dBFS; a μ-law round trip keeps it near)
TONE_PERIOD = 20  # samples: 400 Hz
LEVEL = 4000  # every sample of the caller's in the recording is at least this far from zero
LOOK = 160  # samples (a packet) that must carry the caller's level on each side of a pause's silence
SLOP = 8  # samples: a paused span's end is kept to the millisecond (4 samples), and rounded again here
TARGET_MS = 200.0
CONNECTED = "☎ connected"  # the call's area once the desk has answered


class SilenceNotFound(RuntimeError):
    """The recording does not show a pause as a silence between the caller's audio: nothing to measure."""


def pause_silence(samples: Sequence[int], resumed: int, level: int = LEVEL, look: int = LOOK, slop: int = SLOP) -> int:
    """The first silent sample of the pause that was resumed at sample `resumed` of the recording (its paused span's
    end): the start of the run of zero samples that ends there. Checked, or SilenceNotFound: the run ends at the
    resume (within `slop`), the `look` samples before it and after it are all at least `level` from zero (the
    caller heard up to the pause and again after it), and they are in the recording."""
    inside = resumed - 2 * slop
    if not 0 <= inside < len(samples):
        raise SilenceNotFound(f"the resume at sample {resumed} is not in the recording ({len(samples)} samples)")
    if samples[inside] != 0:
        raise SilenceNotFound(f"sample {inside}, just before the resume at {resumed}, is {samples[inside]}: not silent")
    first = inside
    while first > 0 and samples[first - 1] == 0:
        first -= 1
    end = inside
    while end < len(samples) and samples[end] == 0:
        end += 1
    if abs(end - resumed) > slop:
        raise SilenceNotFound(f"the silence runs from sample {first} to {end}, not to the resume at {resumed}")
    before, after = samples[max(0, first - look) : first], samples[end : end + look]
    if len(before) < look or any(abs(sample) < level for sample in before):
        raise SilenceNotFound(f"the {look} samples before the silence at {first} are not all at the caller's level")
    if len(after) < look or any(abs(sample) < level for sample in after):
        raise SilenceNotFound(f"the {look} samples after the resume at {end} are not all at the caller's level")
    return first


def square_tone(path: Path, seconds: float) -> Path:
    """A square wave, 8 kHz 16-bit mono, every sample ±TONE: a caller whose every recorded sample is heard."""
    half = TONE_PERIOD // 2
    period = array("h", [TONE] * half + [-TONE] * half).tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(period * round(seconds * RATE / TONE_PERIOD))
    return path


def _silence(path: Path, seconds: float) -> Path:
    command = ["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)]
    subprocess.run(command, check=True, timeout=60)
    return path


def _samples(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as wav:
        if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, RATE):
            raise SilenceNotFound(f"the recording is not 8 kHz 16-bit mono: {wav.getparams()}")
        return array("h", wav.readframes(wav.getnframes()))


# --- the call: the mock's caller saying a tone to the desk's own softphone ---------------------------------------------


def _asked(agent: httpx.Client, path: str) -> float:
    """POST `path` as the call's agent; when it was asked (just before the request went)."""
    asked = time.monotonic()
    answer = agent.post(path)
    if answer.status_code != 200:
        raise RuntimeError(f"{path}: {answer.status_code} {answer.text}")
    return asked


async def _desk_pause(pilot: Pilot[None], desk: Desk, recording: CallRecording, contact_id: str) -> float:
    """`P`, the pause held, `P` again; when the first key was pressed."""
    from tests.support.scenes.pilot_steps import wait_until

    pressed = time.monotonic()
    await pilot.press("P")
    await wait_until(
        pilot, lambda: recording.paused and contact_id in desk.recording_paused, "the desk's pause", timeout_s=WAIT_S
    )
    await asyncio.sleep(PAUSED_S)
    await pilot.press("P")
    await wait_until(
        pilot,
        lambda: not recording.paused and contact_id not in desk.recording_paused,
        "the desk's resume",
        timeout_s=WAIT_S,
    )
    return pressed


async def _api_pause(pilot: Pilot[None], agent: httpx.Client, recording: CallRecording, contact_id: str) -> float:
    """The same pause and resume asked of the mock's API straight (from a thread: the desk's loop runs meanwhile)."""
    from tests.support.scenes.pilot_steps import wait_until

    asked = await asyncio.to_thread(_asked, agent, f"/v1/contacts/{contact_id}/recording/pause")
    await wait_until(pilot, lambda: recording.paused, "the API's pause", timeout_s=WAIT_S)
    await asyncio.sleep(PAUSED_S)
    await asyncio.to_thread(_asked, agent, f"/v1/contacts/{contact_id}/recording/resume")
    await wait_until(pilot, lambda: not recording.paused, "the API's resume", timeout_s=WAIT_S)
    return asked


def ringing(desk: Desk, contact_id: str) -> bool:
    from agent_desktop.agent_desk.voice.call_media import MediaState

    media = desk.softphone.media(contact_id)
    return media is not None and media.state is MediaState.RINGING


async def call_with_pauses(folder: Path, pauses: int) -> tuple[list[tuple[str, float]], float, array[int], list[Any]]:
    """One call answered on the desk, paused `pauses` + 1 times by the key and as many by the API, interleaved, then
    ended: each pause's kind and when it was asked, the recording's start, its samples, its paused spans."""
    import httpx

    from agent_desktop.agent_desk.voice.call_media import LinkState
    from agent_desktop.app.backend_factory import build_backends
    from agent_desktop.app.config import SoftphoneConfig
    from agent_desktop.app.demo import demo_settings
    from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
    from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript
    from agent_desktop_mocks.ccaas.voice.media.script_audio import ScriptAudio
    from tests.e2e.voice.test_call_rings_the_desk import mock_servers, place_call
    from tests.support.desk_app import desk_app
    from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, wait_until

    call_s = 120 + 2 * (pauses + 1) * 10  # the caller hangs up when its microphone ends: well after the last pause

    class ToneCall(ScriptAudio):
        """The mock's caller says a square wave for the whole call instead of its script (the rest is the mock's)."""

        def call(self, script: CallScript, path: Path) -> Path:
            del script
            return square_tone(path, call_s)

    asked: list[tuple[str, float]] = []
    microphone = _silence(folder / "agent-mic.wav", call_s)
    with mock_servers(folder / "mocks") as ((ccaas, crm, presence), voice):
        voice.audio = ToneCall(voice.audio.folder)
        settings = demo_settings(ccaas, crm, presence, outbox_path=folder / "outbox.db")
        softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{microphone}", audio_player="")
        backends = build_backends(settings.model_copy(update={"softphone": softphone}))
        auth = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
        with httpx.Client(base_url=ccaas, headers=auth, timeout=WAIT_S) as agent:
            async with desk_app(backends).run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone", timeout_s=WAIT_S)
                await go_available(pilot)
                contact_id = await asyncio.to_thread(place_call, ccaas)
                await wait_until(pilot, lambda: desk.offer is not None, "the voice offer", timeout_s=WAIT_S)
                await wait_until(pilot, lambda: ringing(desk, contact_id), "the desk's softphone ringing", WAIT_S)
                await pilot.press("a")
                await wait_until(
                    pilot, lambda: CONNECTED in screen_text(pilot, "#contact-detail"), "the answer", WAIT_S
                )
                relay, recording = voice.relay(contact_id), voice.recordings.of(contact_id)
                if relay is None or recording is None or recording.path is None:
                    raise RuntimeError("the call's audio does not pass through the mock, or is not recorded")
                await wait_until(pilot, lambda: relay.relayed["customer"] > 0, "the caller through the relay", WAIT_S)
                await wait_until(pilot, lambda: desk.selected_id == contact_id, "the call selected (P's)", WAIT_S)
                for _ in range(pauses + 1):  # the first of each kind: the warm-up
                    await asyncio.sleep(RECORDED_S)
                    asked.append(("desk", await _desk_pause(pilot, desk, recording, contact_id)))
                    await asyncio.sleep(RECORDED_S)
                    asked.append(("api", await _api_pause(pilot, agent, recording, contact_id)))
                await asyncio.sleep(RECORDED_S)
                await pilot.press("e")  # the contact ended: the mock hangs its caller up, the recording is closed
                await wait_until(pilot, lambda: recording.ended, "the recording closed", timeout_s=WAIT_S)
                samples = _samples(recording.path)
                if len(samples) != recording.written:
                    raise SilenceNotFound(
                        f"the WAV holds {len(samples)} samples, the recording wrote {recording.written}"
                    )
                return asked, recording.started, samples, list(recording.paused_spans)


def measured(
    asked: list[tuple[str, float]], started: float, samples: Sequence[int], spans: list[Any]
) -> dict[str, list[float]]:
    """Each kind's pauses (the warm-ups left out), in ms from when each was asked: to its first silent sample
    (`desk`, `api`), and to the moment the mock paused the recording, its paused span's start (`desk_paused`,
    `api_paused`)."""
    if len(spans) != len(asked):
        raise SilenceNotFound(f"{len(asked)} pauses asked, {len(spans)} paused spans recorded")
    figures: dict[str, list[float]] = {"desk": [], "api": [], "desk_paused": [], "api_paused": []}
    for number, ((kind, when), span) in enumerate(zip(asked, spans, strict=True)):
        if span.end_s is None:
            raise SilenceNotFound(f"pause {number} was never resumed")
        first = pause_silence(samples, round(span.end_s * RATE))
        if number >= 2:
            figures[kind].append((started + first / RATE - when) * 1000)
            figures[f"{kind}_paused"].append((started + span.start_s - when) * 1000)
    return figures


def _quantiles(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 1), "p99": round(percentile(values, 0.99), 1)}


def _ratio(figure: float, reference: float) -> float | None:
    return round(figure / reference, 2) if reference > 0 else None


def run() -> Iterator[dict[str, Any]]:
    if shutil.which("baresip") is None:
        raise RuntimeError("baresip is not installed: run scripts/ensure-system-packages.sh")
    with tempfile.TemporaryDirectory(prefix="bench-pause-") as temp:
        folder = Path(temp)
        (folder / "run").mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(folder / "run")  # the desk's baresip folder: this run's
        asked, started, samples, spans = asyncio.run(call_with_pauses(folder, PAUSES))
    figures = measured(asked, started, samples, spans)
    desk = timing("recording_pause_key_to_silence_ms", figures["desk"], f"p99 ≤ {TARGET_MS:g}", unit="ms", digits=1)
    api = timing("recording_pause_api_to_silence_ms", figures["api"], "reference", unit="ms", digits=1)
    desk_paused, api_paused = _quantiles(figures["desk_paused"]), _quantiles(figures["api_paused"])
    yield {
        **desk,
        "met": desk["p99"] <= TARGET_MS,
        "pauses_checked": len(spans),
        **{f"to_paused_{q}": value for q, value in desk_paused.items()},
    }
    yield {**api, **{f"to_paused_{q}": value for q, value in api_paused.items()}}
    yield {
        "name": "recording_pause_key_over_api",
        "unit": "ratio",
        "p50_ratio": _ratio(desk["p50"], api["p50"]),
        "p99_ratio": _ratio(desk["p99"], api["p99"]),
        "p50_added_ms": round(desk["p50"] - api["p50"], 1),
        "p99_added_ms": round(desk["p99"] - api["p99"], 1),
        "to_paused_p50_ratio": _ratio(desk_paused["p50"], api_paused["p50"]),
        "to_paused_p99_ratio": _ratio(desk_paused["p99"], api_paused["p99"]),
        "target": "report",
    }
