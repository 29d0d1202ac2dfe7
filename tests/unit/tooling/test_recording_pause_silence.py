"""`make bench BENCH=recording_pause` reads each pause's first silent sample out of the call's recording
(benchmarks/bench_recording_pause.py, `pause_silence`): the start of the silence that ends at the pause's resume, and
only where the caller is heard on both sides of it. A finder that took an earlier hole, a lone zero of the wave or
the resume itself would print a latency of something else; one that accepted an empty recording, or audio recorded
while paused, would print a figure for a pause that did not work."""

from __future__ import annotations

import pytest

from benchmarks.bench_recording_pause import LEVEL, SilenceNotFound, pause_silence

HEARD = 8000  # the bench's caller: a square wave, every sample ±8000


def caller(length: int) -> list[int]:
    return [HEARD if (i // 10) % 2 == 0 else -HEARD for i in range(length)]


def recording(length: int, *silences: tuple[int, int]) -> list[int]:
    """The caller heard for `length` samples but in each `silences` span (start, end)."""
    samples = caller(length)
    for start, end in silences:
        samples[start:end] = [0] * (end - start)
    return samples


def test_the_first_silent_sample_is_where_the_silence_ending_at_the_resume_begins() -> None:
    samples = recording(4000, (300, 500), (1000, 2000))  # an earlier hole (a late packet), then the pause
    samples[700] = 0  # a lone zero of the caller's wave

    assert pause_silence(samples, resumed=2000) == 1000
    assert pause_silence(samples, resumed=2003) == 1000  # the span's end is kept to the millisecond


def test_a_recording_with_nothing_of_the_caller_gives_no_figure() -> None:
    with pytest.raises(SilenceNotFound):
        pause_silence([0] * 4000, resumed=2000)
    with pytest.raises(SilenceNotFound, match="before the silence"):
        pause_silence([0] * 2000 + caller(2000), resumed=2000)  # silent from its start: nothing heard before


def test_audio_recorded_while_paused_gives_no_figure() -> None:
    samples = recording(4000, (1000, 2000))
    samples[1900] = HEARD  # something the caller said while paused

    with pytest.raises(SilenceNotFound, match="before the silence"):
        pause_silence(samples, resumed=2000)

    samples[1984] = HEARD  # right at the resume
    with pytest.raises(SilenceNotFound, match="not silent"):
        pause_silence(samples, resumed=2000)


def test_a_silence_that_is_not_the_pauses_gives_no_figure() -> None:
    with pytest.raises(SilenceNotFound, match="not to the resume"):
        pause_silence(recording(4000, (1000, 2500)), resumed=2000)  # the caller not heard again after the resume
    with pytest.raises(SilenceNotFound, match="not in the recording"):
        pause_silence(recording(1500, (1000, 1500)), resumed=2000)  # the recording ends before the resume


def test_a_caller_under_the_level_on_either_side_gives_no_figure() -> None:
    quiet = [sample // 4 for sample in recording(4000, (1000, 2000))]
    assert all(abs(sample) < LEVEL for sample in quiet)
    with pytest.raises(SilenceNotFound, match="caller's level"):
        pause_silence(quiet, resumed=2000)

    samples = recording(4000, (1000, 2000))
    samples[2100] = LEVEL - 1  # a packet after the resume quieter than the caller
    with pytest.raises(SilenceNotFound, match="after the resume"):
        pause_silence(samples, resumed=2000)
