"""`make bench BENCH=call_transcription` gives the mock's call speaker a script of its own
(benchmarks/bench_call_transcription.py): it must be one the mock accepts, or the servers exit before the first
line and the module ends with an error instead of its figures."""

from __future__ import annotations

from benchmarks.bench_call_transcription import LINES, call_scripts, script_lines


def test_the_benchmark_call_says_the_whole_script_the_mock_accepts() -> None:
    scripts = call_scripts(LINES)

    said = scripts.for_call("bench", "billing")

    assert list(said.lines) == [tuple(line) for line in script_lines(LINES)]
    assert said.subject  # what the caller tells the IVR, on the agent's card
