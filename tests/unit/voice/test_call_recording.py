"""A call's recording as the mock contact center writes it (agent_desktop_mocks/ccaas/voice/media/call_recording.py): what
either side says while the agent has the recording paused is nowhere in the WAV, silence keeps the call's timeline,
what is said outside a pause is all there, and a folder that fills up stops the recording, not the call."""

from __future__ import annotations

import stat
import wave
from array import array
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.voice.media.call_recording import RATE, CallRecording, Recordings

TICK_S = 0.25  # the voice leg flushes on its levels' tick
SPEECH = 1000  # a side's sample while it speaks: anything but silence

steps = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["customer", "agent", "both"]), st.integers(1, 6)),  # quarters of a second
        st.just(("pause", 0)),
        st.just(("resume", 0)),
        st.just(("tick", 0)),
    ),
    max_size=40,
)


def samples(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return array("h", wav.readframes(wav.getnframes()))


@settings(max_examples=60, deadline=None)
@given(steps=steps)
def test_nothing_said_while_paused_is_recorded_and_everything_else_is(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("rec") / "call.wav"
    now = 100.0
    recording = CallRecording("c-1", path, now)
    said_outside = 0  # samples spoken while recording
    for kind, quarters in steps:
        if kind == "pause":
            recording.pause(now)
        elif kind == "resume":
            recording.resume(now)
        elif kind == "tick":
            recording.flush(now)
        else:
            count = quarters * RATE // 4
            pcm = array("h", [SPEECH] * count).tobytes()
            now += quarters / 4  # said, then passed on as it ends
            for side in ("customer", "agent") if kind == "both" else (kind,):
                recording.add(side, pcm, now)
            said_outside += 0 if recording.paused else count
            recording.flush(now)  # the voice leg's tick
    recording.close(now)

    heard = samples(path)
    assert len(heard) == round((now - 100.0) * RATE), "the recording does not keep the call's timeline"
    for span in recording.paused_spans:
        assert span.end_s is not None
        inside = heard[round(span.start_s * RATE) : round(span.end_s * RATE)]
        assert not any(inside), f"something said while paused ({span}) is in the recording"
    assert sum(1 for sample in heard if sample) == said_outside, "what was said outside a pause is not all there"


def test_the_recording_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    recordings = Recordings(tmp_path / "recordings", now=lambda: 5.0)
    recording = recordings.start("c-1", audio=True)
    recording.close(6.0)
    assert recording.path is not None
    assert stat.S_IMODE(recording.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(recording.path.parent.stat().st_mode) == 0o700
    assert len(samples(recording.path)) == RATE


def test_a_pause_taken_before_the_calls_audio_holds_when_it_comes(tmp_path: Path) -> None:
    recordings = Recordings(tmp_path, now=lambda: 5.0)
    recordings.start("c-1", audio=False).pause(5.0)
    assert recordings.start("c-1", audio=True).paused
    assert recordings.paused() == {"c-1"}
