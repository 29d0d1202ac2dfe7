"""A call's live transcript recognised from its audio (agent_desktop_mocks/speech/): pocketsphinx on espeak-ng speech
at a call's 8 kHz, fed in 20 ms chunks as RTP brings it. Measured at the recogniser's output (what the mock contact
center publishes next; the desk's share of a line to the screen is bench_call_transcription's).

- `speech_real_time_factor`: per stream, the recogniser thread's CPU time over the seconds of audio it heard (each
  held-out script below, one side at a time, fed as fast as it takes it). Target ≤ 0.3.
- `speech_utterance_end_to_final_ms`: the demo's payment script spoken with its pauses and fed at the pace of speech
  (a chunk every 20 ms, each at its due time on the monotonic clock); from the moment the chunk holding an
  utterance's last sample of speech (above a floor) was fed to its final line coming out. It includes the
  endpointer's wait for silence (a 0.3 s window): the end of speech cannot be known sooner. Target p99 ≤ 1000 ms.
- `speech_word_error_rate_pct`: on held-out lines. Each of the shipped call scripts is recognised with a model built
  from the *other* scripts only (leave one script out), so no line measured, nor its words, went into the model it
  was heard with; word error rate = (substitutions + insertions + deletions) / words said, over all the lines.
  Aim ≤ 25 %. `speech_word_error_rate_general_pct`: the same lines with pocketsphinx's general English model.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent_desktop_mocks.ccaas.call_transcripts.heard_calls import scripts_model
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScripts, shipped
from agent_desktop_mocks.speech.language_model import LanguageModel, words_of
from agent_desktop_mocks.speech.recogniser import Heard, StreamRecogniser
from benchmarks.figures import timing
from tests.support.speech import RATE, SpokenScript, speak_script

CHUNK = 320  # 20 ms at 8 kHz
CHUNK_S = CHUNK / 2 / RATE
WAIT_S = 120.0


def said_lines(scripts: CallScripts, index: int) -> list[str]:
    return [str(said).replace("{agent}", "Alex") for role, said in scripts.scripts[index].lines if role != "silence"]


def without(scripts: CallScripts, index: int) -> CallScripts:
    return CallScripts.model_validate({"script": [s.model_dump() for n, s in enumerate(scripts.scripts) if n != index]})


def recognise(
    spoken: SpokenScript, model: LanguageModel | None, *, paced: bool
) -> tuple[list[Heard], dict[int, float], StreamRecogniser]:
    """The final lines heard, when each chunk was fed (by its index), and the recogniser (its CPU and audio)."""
    pcm = spoken.pcm()
    recogniser = StreamRecogniser("customer", RATE, model).start()
    fed: dict[int, float] = {}
    start = time.monotonic()
    try:
        for number, at in enumerate(range(0, len(pcm), CHUNK)):
            if paced:
                delay = start + number * CHUNK_S - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            if not recogniser.feed_waiting(pcm[at : at + CHUNK], WAIT_S):
                raise RuntimeError("the recogniser took no audio for two minutes")
            fed[number] = time.monotonic()
        recogniser.close()
        finals = [event for event in recogniser.events(WAIT_S) if event.final]
    finally:
        recogniser.stop()
    if recogniser.error:
        raise RuntimeError(recogniser.error)
    return finals, fed, recogniser


def errors(said: list[str], heard: list[str]) -> int:
    """Word-level edit distance."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(said, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def word_error_rate(spoken: SpokenScript, finals: list[Heard]) -> tuple[int, int]:
    """Errors and words said, over the script: the finals are matched to the lines by where they began."""
    by_line: list[list[str]] = [[] for _ in spoken.lines]
    for event in finals:
        nearest = min(range(len(spoken.spans)), key=lambda n: abs(spoken.spans[n][0] - event.start_s))
        by_line[nearest] += words_of(event.text)
    said = [words_of(re.sub(r"\{agent\}", "", line)) for line in spoken.lines]
    return sum(errors(s, h) for s, h in zip(said, by_line, strict=True)), sum(len(s) for s in said)


def run() -> Iterator[dict[str, Any]]:
    scripts = shipped()
    factors: list[float] = []
    counts = {"domain": [0, 0], "general": [0, 0]}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index in range(len(scripts.scripts)):
            spoken = speak_script(said_lines(scripts, index), root / f"script{index}.wav", pause_s=1.2)
            held_out = scripts_model(without(scripts, index), root / f"model{index}")
            for kind, model in (("domain", held_out), ("general", None)):
                finals, _, recogniser = recognise(spoken, model, paced=False)
                wrong, said = word_error_rate(spoken, finals)
                counts[kind][0] += wrong
                counts[kind][1] += said
                if kind == "domain":
                    factors.append(recogniser.cpu_s / recogniser.audio_s)
        yield timing("speech_real_time_factor", factors, target=0.3, unit="ratio")
        domain, general = counts["domain"], counts["general"]
        yield {
            "name": "speech_word_error_rate_pct",
            "unit": "%",
            "value": round(100 * domain[0] / domain[1], 1),
            "words": domain[1],
            "target": 25,
        }
        yield {
            "name": "speech_word_error_rate_general_pct",
            "unit": "%",
            "value": round(100 * general[0] / general[1], 1),
            "words": general[1],
            "target": "report",
        }
        payment = next(n for n, s in enumerate(scripts.scripts) if s.intent == "payment")
        spoken = speak_script(said_lines(scripts, payment), root / "paced.wav", pause_s=1.5)
        model = scripts_model(scripts, root / "model")
        latencies: list[float] = []
        for _ in range(3):
            finals, fed, _ = recognise(spoken, model, paced=True)
            for event in finals:
                nearest = min(spoken.spans, key=lambda span: abs(span[0] - event.start_s))
                last_chunk = int(nearest[1] * RATE * 2) // CHUNK
                latencies.append(1000 * (event.at - fed[last_chunk]))
        yield timing("speech_utterance_end_to_final_ms", latencies, target=1000, unit="ms", digits=0)
