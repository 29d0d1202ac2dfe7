"""What the mock's media relay hears of a call is the audio the phone sent: an RTP packet's G.711 audio is found
whatever its header carries (CSRCs, an extension, padding, the marker), and a packet that is not G.711 audio (a DTMF
event, comfort noise, RTCP on a muxed port, a runt) is heard as nothing. Each code's expansion is checked against
sox's in tests/e2e/voice/test_g711_as_sox_expands_it.py."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.voice.media import g711
from agent_desktop_mocks.ccaas.voice.media.rtp_relay import audio_of
from tests.support.hypothesis_profiles import examples


def rtp(payload_type: int, payload: bytes, csrcs: int, extension: bytes | None, padding: int) -> bytes:
    first = 0x80 | (0x20 if padding else 0) | (0x10 if extension is not None else 0) | csrcs
    packet = struct.pack("!BBHII", first, payload_type, 7, 160, 0xDEADBEEF) + bytes(4 * csrcs)
    if extension is not None:
        packet += struct.pack("!HH", 0xBEDE, len(extension) // 4) + extension
    if padding:
        packet += payload + bytes(padding - 1) + bytes([padding])
    else:
        packet += payload
    return packet


@settings(max_examples=examples(200))
@given(
    st.sampled_from([g711.PCMU, g711.PCMA]),
    st.binary(min_size=1, max_size=320),
    st.integers(0, 15),
    st.none() | st.binary(max_size=12).map(lambda raw: raw + bytes(-len(raw) % 4)),
    st.integers(0, 8),
    st.booleans(),
)
def test_a_packets_audio_is_found_whatever_its_header_carries(
    payload_type: int, payload: bytes, csrcs: int, extension: bytes | None, padding: int, marker: bool
) -> None:
    packet = bytearray(rtp(payload_type, payload, csrcs, extension, padding))
    packet[1] |= 0x80 if marker else 0
    assert audio_of(bytes(packet)) == g711.decode(payload_type, payload)


@settings(max_examples=examples(100))
@given(st.sampled_from([101, 13, 72, 73, 96]), st.binary(min_size=0, max_size=200))
def test_what_is_not_g711_audio_is_heard_as_nothing(payload_type: int, payload: bytes) -> None:
    assert audio_of(rtp(payload_type, payload, 0, None, 0)) == b""
    assert audio_of(payload[:11]) == b""
