"""One speaker's 16-bit mono PCM, in chunks cut anywhere, made into the recogniser's fixed frames at 16 kHz.

Call audio arrives at 8 kHz (G.711) and the recogniser's acoustic model is 16 kHz: 8 kHz is doubled by linear
interpolation, each new sample halfway between two it has (no filter is needed going up: nothing above 4 kHz is made
that was not there). The standard library's `audioop.ratecv` is gone in Python 3.13, and numpy is not a dependency
here; a second of call audio costs about a millisecond in this loop. A chunk may end inside a sample (an odd byte
count) or before the sample an interpolation needs: what is left is kept for the next chunk, so the frames are the
same however the audio was cut.
"""

from __future__ import annotations

import array
import sys
from collections.abc import Iterator

MODEL_RATE = 16000
RATES = (8000, MODEL_RATE)


class PcmFramer:
    """Chunks of one stream in, frames of `frame_bytes` at 16 kHz out (`add`); `finish` gives the last part frame."""

    def __init__(self, sample_rate: int, frame_bytes: int) -> None:
        if sample_rate not in RATES:
            raise ValueError(f"PCM at {sample_rate} Hz: 8000 or 16000 expected")
        if frame_bytes <= 0 or frame_bytes % 2:
            raise ValueError("a frame is a positive, even number of bytes")
        self.sample_rate = sample_rate
        self.frame_bytes = frame_bytes
        self._odd = b""  # the first byte of a sample whose second has not come
        self._last: int | None = None  # 8 kHz: the latest sample, whose halfway point to the next is not made yet
        self._pending = bytearray()  # 16 kHz bytes not yet a whole frame
        self.samples_in = 0  # at the stream's own rate

    def add(self, chunk: bytes) -> Iterator[bytes]:
        data = self._odd + chunk
        whole = len(data) - len(data) % 2
        self._odd = data[whole:]
        samples = array.array("h")
        samples.frombytes(data[:whole])
        if sys.byteorder != "little":
            samples.byteswap()  # PCM on the wire and in WAV files is little-endian
        self.samples_in += len(samples)
        self._pending += self._at_model_rate(samples)
        yield from self._frames()

    def finish(self) -> bytes:
        """What is left at the end of the stream (less than a frame; an odd byte dropped): the last sample of 8 kHz
        audio is held, not interpolated past."""
        if self._last is not None:
            self._pending += _little_endian(array.array("h", [self._last, self._last]))
            self._last = None
        rest, self._pending = bytes(self._pending), bytearray()
        self._odd = b""
        return rest

    def _at_model_rate(self, samples: array.array[int]) -> bytes:
        if self.sample_rate == MODEL_RATE or not samples:
            return _little_endian(samples)
        previous = [self._last] if self._last is not None else []
        points = previous + samples.tolist()
        doubled = array.array("h", bytes(4 * (len(points) - 1)))
        doubled[0::2] = array.array("h", points[:-1])
        doubled[1::2] = array.array("h", [(a + b) >> 1 for a, b in zip(points, points[1:], strict=False)])
        self._last = points[-1]
        return _little_endian(doubled)

    def _frames(self) -> Iterator[bytes]:
        size = self.frame_bytes
        whole = len(self._pending) - len(self._pending) % size
        for start in range(0, whole, size):
            yield bytes(self._pending[start : start + size])
        del self._pending[:whole]


def _little_endian(samples: array.array[int]) -> bytes:
    if sys.byteorder != "little":
        samples = array.array("h", samples)
        samples.byteswap()
    return samples.tobytes()
