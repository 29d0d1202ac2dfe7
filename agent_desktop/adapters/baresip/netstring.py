"""Netstring framing as baresip's `ctrl_tcp` speaks it: `LEN:BYTES,` with LEN in ASCII decimal.

A frame may arrive split across reads or several in one read; a peer that breaks the framing (a length that is not
digits, too long, no comma after the bytes) is refused with `FramingError`, and the link is no longer readable.
"""

from __future__ import annotations

from typing import NoReturn

from agent_desktop.domain.calls.softphone import SoftphoneError

# baresip's own frames are a few kB (a help text, an SDP event); a megabyte is no frame of a softphone's.
MAX_FRAME = 1 << 20
_MAX_DIGITS = len(str(MAX_FRAME))


class FramingError(SoftphoneError):
    """The softphone's link sent bytes that are not netstrings."""


def encode(payload: bytes) -> bytes:
    if len(payload) > MAX_FRAME:
        raise FramingError(f"a frame of {len(payload)} bytes is over the {MAX_FRAME} the link carries")
    return b"%d:%s," % (len(payload), payload)


class NetstringReader:
    """Frames out of a byte stream, fed as it is read."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._max_frame = max_frame
        self._broken: str | None = None

    def feed(self, data: bytes) -> list[bytes]:
        """The frames `data` completes, in order; the rest is kept for the next read."""
        if self._broken is not None:
            raise FramingError(self._broken)
        self._buffer += data
        frames: list[bytes] = []
        while True:
            colon = self._buffer.find(b":", 0, _MAX_DIGITS + 1)
            if colon < 0:  # no length read yet: wait for more, unless what came cannot start one
                head = bytes(self._buffer[: _MAX_DIGITS + 1])
                if head and not head.isdigit():
                    self._fail(f"a frame's length is not a number: {head[:16]!r}")
                if len(head) > _MAX_DIGITS:
                    self._fail(f"a frame's length has more than {_MAX_DIGITS} digits")
                return frames
            digits = bytes(self._buffer[:colon])
            if not digits.isdigit() or (len(digits) > 1 and digits.startswith(b"0")):
                self._fail(f"a frame's length is not a number: {digits[:16]!r}")
            length = int(digits)
            if length > self._max_frame:
                self._fail(f"a frame of {length} bytes is over the {self._max_frame} the link carries")
            end = colon + 1 + length
            if len(self._buffer) <= end:
                return frames
            if self._buffer[end : end + 1] != b",":
                self._fail(f"a frame of {length} bytes does not end with a comma")
            frames.append(bytes(self._buffer[colon + 1 : end]))
            del self._buffer[: end + 1]

    @property
    def pending(self) -> int:
        """Bytes read that no complete frame holds yet."""
        return len(self._buffer)

    def _fail(self, why: str) -> NoReturn:
        self._broken = why
        raise FramingError(why)
