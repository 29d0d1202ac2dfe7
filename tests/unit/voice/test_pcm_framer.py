"""A call's audio cut into chunks anywhere (inside a sample, before the sample an interpolation needs) is framed for
the recogniser the same as the whole: what it hears cannot depend on how RTP packets fell. 8 kHz call audio reaches
the 16 kHz model at twice its samples, each of its own kept and one halfway between each two."""

from __future__ import annotations

import array

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.speech.pcm import PcmFramer
from tests.support.hypothesis_profiles import examples

FRAME = 960  # 30 ms at 16 kHz, the endpointer's frame


def framed(rate: int, pcm: bytes, cuts: list[int]) -> bytes:
    framer = PcmFramer(rate, FRAME)
    out = bytearray()
    points = sorted({cut % (len(pcm) + 1) for cut in cuts} | {0, len(pcm)})
    for start, end in zip(points, points[1:], strict=False):
        for frame in framer.add(pcm[start:end]):
            assert len(frame) == FRAME
            out += frame
    return bytes(out + framer.finish())


samples = st.lists(st.integers(-32768, 32767), min_size=0, max_size=3000)


@settings(max_examples=examples(200))
@given(samples, st.lists(st.integers(0, 10**6), max_size=40), st.sampled_from([8000, 16000]))
def test_the_frames_do_not_depend_on_where_the_audio_was_cut(values: list[int], cuts: list[int], rate: int) -> None:
    pcm = array.array("h", values).tobytes()
    assert framed(rate, pcm, cuts) == framed(rate, pcm, [])


@settings(max_examples=examples(100))
@given(samples.filter(bool))
def test_call_audio_is_doubled_keeping_its_samples_with_one_halfway_between_each_two(values: list[int]) -> None:
    wide = array.array("h")
    wide.frombytes(framed(8000, array.array("h", values).tobytes(), []))
    assert len(wide) == 2 * len(values)
    assert list(wide[0::2]) == values
    assert all(min(a, b) <= m <= max(a, b) for a, b, m in zip(values, values[1:], wide[1::2], strict=False))
