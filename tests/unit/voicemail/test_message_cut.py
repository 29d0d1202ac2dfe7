"""A message cut at the queue's longest (agent_desktop_mocks/ccaas/voice/media/voicemail_tape.py and the simulated
caller's lines, core/parts/voicemails.py): whatever the caller says and however its audio falls into packets, what is
kept is exactly what came before the cut, nothing after it, and the message says it was cut when, and only when, the
caller went on past it. An hour-long message keeps its first minutes whole."""

from __future__ import annotations

import stat
import wave
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.core.parts.voicemails import said_within
from agent_desktop_mocks.ccaas.voice.media.rtp_relay import RATE
from agent_desktop_mocks.ccaas.voice.media.voicemail_tape import VoicemailTape, voicemail_path
from tests.support.hypothesis_profiles import NOT_TIMED, examples


def frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return wav.readframes(wav.getnframes())


@settings(max_examples=examples(80), **NOT_TIMED)
@given(
    audio=st.binary(min_size=0, max_size=4000).map(lambda b: b[: len(b) - len(b) % 2]),
    cuts=st.lists(st.integers(0, 4000), max_size=12),
    max_ms=st.integers(1, 300),
)
def test_the_tape_keeps_all_before_the_cap_and_nothing_after(tmp_path_factory, audio, cuts, max_ms) -> None:  # type: ignore[no-untyped-def]
    path = voicemail_path(tmp_path_factory.mktemp("voice"), "c-000001")
    tape = VoicemailTape(path, max_ms / 1000)
    room = int(max_ms / 1000 * RATE) * 2
    taking = []
    bounds = sorted({0, len(audio), *(c for c in cuts if c < len(audio))})
    for start, end in zip(bounds, bounds[1:], strict=False):  # the packets fall anywhere, inside a sample too
        taking.append(tape.add(audio[start:end]))
    seconds = tape.close()
    assert frames(path) == audio[:room], "the message is what was said up to the cap, as it was said"
    assert tape.cut == (len(audio) > room), "cut when and only when the caller went on past the cap"
    assert seconds == min(len(audio), room) / 2 / RATE
    assert all(taking[:-1]) or tape.cut, "the tape took every packet until it was full"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_hour_long_message_is_cut_at_the_cap_and_keeps_its_start(tmp_path: Path) -> None:
    tape = VoicemailTape(voicemail_path(tmp_path, "c-000002"), 300)
    second = bytes(range(256)) * (RATE * 2 // 256) + bytes(RATE * 2 % 256)
    taken = [tape.add(second) for _ in range(3600)]
    assert tape.close() == 300.0
    assert tape.cut
    assert taken.index(False) == 300, "the caller is cut off as the 301st second comes, not before"
    assert frames(tape.path) == second * 300


words = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
lines = st.lists(st.lists(words, min_size=0, max_size=8).map(" ".join), max_size=8)


@settings(max_examples=examples(100), **NOT_TIMED)
@given(said=lines, max_s=st.floats(0.5, 30))
def test_a_simulated_message_keeps_the_words_said_before_the_cap(said: list[str], max_s: float) -> None:
    kept, seconds, cut = said_within(said, max_s)
    everything = " ".join(said).split()
    assert " ".join(kept).split() == everything[: len(" ".join(kept).split())], "what is kept is how it began"
    assert seconds <= max_s
    assert cut == (len(" ".join(kept).split()) < len(everything)), "cut when and only when words were left out"
    assert all(line.strip() for line in kept), "no empty line kept"


def test_an_hour_of_lines_is_cut_at_five_minutes() -> None:
    hour = ["I am calling about my order and I would like my money back"] * 400
    kept, seconds, cut = said_within(hour, 300)
    assert cut
    assert 295 <= seconds <= 300
    assert kept[0] == hour[0]
