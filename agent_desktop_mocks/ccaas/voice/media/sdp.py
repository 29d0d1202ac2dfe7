"""A call's SDP (RFC 4566) as the mock's SIP proxy reads and rewrites it: where a phone wants its audio, and the same
offer or answer pointing at the media relay instead.

Only what the relay needs: the audio stream's connection address (`c=`, the media level's over the session's), its
RTP port (`m=audio`) and its RTCP port (`a=rtcp:`, RFC 3605; else the RTP port + 1). The mock's calls are audio only
(its callers load no video module). Anything else in the body is kept as it was, line for line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONNECTION = re.compile(r"^c=IN IP4 ([0-9.]+)(/\d+)?$")
_AUDIO = re.compile(r"^m=audio (\d+)( .*)$")
_RTCP = re.compile(r"^a=rtcp:(\d+)(.*)$")


@dataclass(frozen=True)
class Media:
    """Where a phone receives its call's audio: the RTP address and the RTCP port."""

    host: str
    rtp_port: int
    rtcp_port: int


def audio_of(body: bytes) -> Media | None:
    """The audio stream a body offers or answers; None if it has none (or is not SDP over IPv4)."""
    try:
        lines = body.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None
    host: str | None = None
    port: int | None = None
    rtcp: int | None = None
    for line in lines:
        if line.startswith("m="):
            if port is not None:
                break  # the next stream's lines
            audio = _AUDIO.match(line)
            if audio is not None:
                port = int(audio.group(1))
        elif (connection := _CONNECTION.match(line)) and (port is not None or host is None):
            host = connection.group(1)  # the session's, then the audio stream's own
        elif port is not None and (found := _RTCP.match(line)):
            rtcp = int(found.group(1))
    if host is None or not port or port >= 65535:  # RTCP on the next port must fit too
        return None
    return Media(host, port, rtcp if rtcp is not None and 0 < rtcp <= 65535 else port + 1)


def anchored(body: bytes, host: str, rtp_port: int) -> bytes:
    """`body` with its audio received at `host:rtp_port` (RTCP at the next port): every IPv4 `c=` line, the audio
    stream's port and its `a=rtcp:` rewritten, nothing else."""
    ending = "\r\n" if b"\r\n" in body else "\n"
    out: list[str] = []
    in_audio = False
    for line in body.decode("utf-8").splitlines():
        if line.startswith("m="):
            in_audio = line.startswith("m=audio ")
            audio = _AUDIO.match(line)
            if audio is not None:
                line = f"m=audio {rtp_port}{audio.group(2)}"
        elif connection := _CONNECTION.match(line):
            line = f"c=IN IP4 {host}{connection.group(2) or ''}"
        elif in_audio and _RTCP.match(line):
            line = f"a=rtcp:{rtp_port + 1} IN IP4 {host}"
        out.append(line)
    return (ending.join(out) + ending).encode()
