"""A call's audio recognised as it arrives (agent_desktop_mocks/speech/): real pocketsphinx on real espeak-ng speech,
a script's lines spoken with pauses into a call's 8 kHz audio and fed in 20 ms chunks, as RTP brings it.

Each utterance (the script's lines, told apart by its pauses) is heard as interim words, then once as a final line;
the words that come back overlap the script's; silence makes nothing; noise and a chunk cut inside a sample break
nothing; where the audio is cut into chunks changes nothing it hears."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.call_transcripts.heard_calls import scripts_model
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.speech.language_model import LanguageModel
from agent_desktop_mocks.speech.recogniser import Heard, StreamRecogniser
from tests.support.hypothesis_profiles import examples
from tests.support.speech import RATE, SpokenScript, content_words, speak_script

CHUNK = 320  # 20 ms of 8 kHz 16-bit audio: one RTP packet's worth
WAIT_S = 60.0  # the most a stream's events may take to come (pocketsphinx runs at about a tenth of real time here)
OVERLAP = 0.6  # of the script's content words, the share that must come back in the final lines
LINES = [
    "Hi. I was charged twice this month and I am really annoyed about it.",
    "This is the second time it has happened. I want my money back.",
    "How long will that take?",
]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> LanguageModel:
    return scripts_model(shipped(), tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> SpokenScript:
    return speak_script(LINES, tmp_path_factory.mktemp("said") / "script.wav")


def chunks(pcm: bytes, sizes: Iterable[int]) -> Iterator[bytes]:
    start = 0
    for size in sizes:
        if start >= len(pcm):
            return
        yield pcm[start : start + size]
        start += size
    while start < len(pcm):
        yield pcm[start : start + CHUNK]
        start += CHUNK


def recognised(pcm: bytes, model: LanguageModel | None, sizes: Iterable[int] = ()) -> list[Heard]:
    recogniser = StreamRecogniser("customer", RATE, model).start()
    try:
        for chunk in chunks(pcm, sizes):
            assert recogniser.feed_waiting(chunk, WAIT_S), "the recogniser took no audio for a minute"
        recogniser.close()
        heard = list(recogniser.events(WAIT_S))
    finally:
        assert recogniser.stop(), "the recogniser's thread did not end"
    assert recogniser.error is None, recogniser.error
    return heard


def test_each_line_is_heard_as_interim_words_then_one_final_line(model: LanguageModel, script: SpokenScript) -> None:
    heard = recognised(script.pcm(), model)
    finals = [event for event in heard if event.final]
    assert len(finals) == len(LINES), [event.text for event in finals]
    for number, (final, (start, end)) in enumerate(zip(finals, script.spans, strict=True)):
        versions = [event for event in heard if event.utterance == final.utterance]
        assert versions[-1] is final, "nothing of an utterance after its final line"
        assert [event.final for event in versions[:-1]] == [False] * (len(versions) - 1)
        assert len(versions) >= 2, f"line {number}: no interim words before its final line"
        assert final.speaker == "customer"
        assert start - 0.5 <= final.start_s <= start + 0.5, (final, start)  # said when the line was
        assert final.end_s >= end - 0.3
    said = set().union(*(content_words(line) for line in LINES))
    came_back = set().union(*(content_words(event.text) for event in finals))
    assert len(said & came_back) >= OVERLAP * len(said), (sorted(said), [event.text for event in finals])


def test_silence_is_heard_as_nothing(model: LanguageModel) -> None:
    assert recognised(bytes(2 * RATE * 5), model) == []


def test_noise_and_a_chunk_cut_inside_a_sample_break_nothing(model: LanguageModel, script: SpokenScript) -> None:
    rng = random.Random(76)
    noise = rng.randbytes(2 * RATE * 3)
    pcm = script.pcm()
    heard = recognised(noise + pcm[:12_345] + noise[:777], model, sizes=[3, 1, 999, 320, 7])
    assert all(isinstance(event.text, str) for event in heard)
    assert [event.final for event in heard].count(True) == len({event.utterance for event in heard})
    stopped = StreamRecogniser("agent", RATE, model).start()
    stopped.feed(noise)
    assert stopped.stop(), "a recogniser stopped mid-stream ends"
    assert not stopped.feed(pcm[:CHUNK]), "a stopped recogniser takes no more audio"


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory, model: LanguageModel) -> tuple[bytes, list[Heard]]:
    spoken = speak_script(LINES[1:], tmp_path_factory.mktemp("short") / "short.wav", pause_s=1.0)
    pcm = spoken.pcm()
    return pcm, recognised(pcm, model)


def _seen(events: list[Heard]) -> list[tuple[int, str, bool, float, float]]:
    return [(e.utterance, e.text, e.final, e.start_s, e.end_s) for e in events]


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(1, 4000), min_size=1, max_size=60))
def test_where_the_audio_is_cut_into_chunks_changes_nothing_heard(
    sizes: list[int], short: tuple[bytes, list[Heard]], model: LanguageModel
) -> None:
    pcm, reference = short
    assert _seen(recognised(pcm, model, sizes)) == _seen(reference)
