"""G.711 audio (ITU-T G.711: PCMU, mu-law, RTP payload type 0; PCMA, A-law, type 8) decoded to 16-bit PCM, by table.

What the media relay hears of a call: one byte a sample at 8 kHz, each expanded to a little-endian 16-bit sample.
The expansion is two `bytes.translate` tables (low and high byte) interleaved by slice assignment, so a packet's
160 samples cost a few C-level passes, not a Python loop, in the event loop that relays the call.
"""

from __future__ import annotations

from collections.abc import Callable

PCMU = 0
PCMA = 8


def ulaw_sample(byte: int) -> int:
    """One mu-law byte expanded (G.711 §2: the bits are sent inverted; bias 0x84)."""
    value = ~byte & 0xFF
    exponent, mantissa = (value >> 4) & 0x07, value & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return -magnitude if value & 0x80 else magnitude


def alaw_sample(byte: int) -> int:
    """One A-law byte expanded (G.711 §3: even bits inverted, 0x55; a set sign bit is positive)."""
    value = byte ^ 0x55
    segment, mantissa = (value >> 4) & 0x07, value & 0x0F
    magnitude = (mantissa << 4) + 8 if segment == 0 else ((mantissa << 4) + 0x108) << (segment - 1)
    return magnitude if value & 0x80 else -magnitude


def _tables(expand: Callable[[int], int]) -> tuple[bytes, bytes]:
    samples = [expand(byte) & 0xFFFF for byte in range(256)]
    return bytes(sample & 0xFF for sample in samples), bytes(sample >> 8 for sample in samples)


_TABLES = {PCMU: _tables(ulaw_sample), PCMA: _tables(alaw_sample)}


def decodes(payload_type: int) -> bool:
    return payload_type in _TABLES


def decode(payload_type: int, payload: bytes) -> bytes:
    """`payload` of a PCMU or PCMA packet as 16-bit little-endian mono PCM (twice its length)."""
    low, high = _TABLES[payload_type]
    pcm = bytearray(2 * len(payload))
    pcm[0::2] = payload.translate(low)
    pcm[1::2] = payload.translate(high)
    return bytes(pcm)
