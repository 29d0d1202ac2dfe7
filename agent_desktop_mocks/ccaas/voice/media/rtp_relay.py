"""The mock's media relay: a real call's RTP passes through it, as through a contact center's media server, so the
contact center hears both sides of every call it carries and plays its hold music from where the agent's audio comes.

One relay per call, on loopback: a pair of UDP ports (RTP, RTCP) the caller sends to and a pair the agent's softphone
sends to; the SIP proxy writes them into each side's SDP (sdp.py). Each packet is sent on unchanged, from the port
facing the other side to where that side's SDP said it hears; a copy of each G.711 packet's audio (payload types 0
and 8) is decoded (g711.py) and handed to that side's ear: "customer" for what the caller says, "agent" for the
agent. An ear is a recogniser's `feed`, which never waits (its own bounded buffer takes the chunk or drops it, its
thread does the decoding): the per-packet work in the event loop is a send, a header read and two table lookups.
While the hold music or a virtual agent's prompts play toward the caller (hold_music.py), what the agent's side
sends is not passed on. What is passed on is also measured, each side's level (call_levels.py), for the agent's desk
to draw, and recorded (call_recording.py: dropped there while the agent has the recording paused).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections import Counter
from collections.abc import Callable
from typing import Literal, cast

from agent_desktop_mocks.ccaas.voice.media import g711
from agent_desktop_mocks.ccaas.voice.media.call_levels import LevelMeter
from agent_desktop_mocks.ccaas.voice.media.hold_music import HoldMusic, Prompts
from agent_desktop_mocks.ccaas.voice.media.sdp import Media

Side = Literal["customer", "agent"]
SIDES: tuple[Side, Side] = ("customer", "agent")
HOST = "127.0.0.1"
RATE = 8000  # G.711's: what the ears are fed


class _Port(asyncio.DatagramProtocol):
    """One UDP port of the relay: what arrives is given to `arrived`."""

    def __init__(self, arrived: Callable[[bytes], None]) -> None:
        self.arrived = arrived
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)  # uvloop's is not asyncio's class

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.arrived(data)

    def error_received(self, exc: Exception) -> None:
        """A phone gone (ICMP port unreachable on loopback): the call's end closes the relay."""

    def send(self, data: bytes, to: tuple[str, int] | None) -> None:
        if self.transport is not None and to is not None:
            self.transport.sendto(data, to)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class _Facing:
    """The relay's two ports facing one side's phone, and where that phone hears (from its SDP)."""

    def __init__(self) -> None:
        self.rtp: _Port | None = None
        self.rtcp: _Port | None = None
        self.media: Media | None = None
        self.port = 0  # the RTP port (RTCP: the next)

    def rtp_to(self) -> tuple[str, int] | None:
        return (self.media.host, self.media.rtp_port) if self.media else None

    def rtcp_to(self) -> tuple[str, int] | None:
        return (self.media.host, self.media.rtcp_port) if self.media else None


class RtpRelay:
    def __init__(self, name: str) -> None:
        """`name`: the call's, in logs."""
        self.name = name
        self.ears: dict[Side, Callable[[bytes], object]] = {}  # each side's recogniser's `feed`
        self.relayed: Counter[Side] = Counter()  # packets passed on, by who sent them
        self.levels = LevelMeter()  # each side's level of what was passed on
        self.recorder: Callable[[Side, bytes], None] | None = None  # the call's recording's `add`
        self._facing: dict[Side, _Facing] = {side: _Facing() for side in SIDES}
        self._music: HoldMusic | Prompts | None = None

    async def open(self) -> RtpRelay:
        for side in SIDES:
            await self._bind(side)
        return self

    async def _bind(self, side: Side) -> None:
        loop = asyncio.get_running_loop()
        other: Side = "agent" if side == "customer" else "customer"
        facing = self._facing[side]
        for _ in range(50):  # an even port with its odd neighbour free: RTP and its RTCP (RFC 3550 §11)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.bind((HOST, 0))
                port = probe.getsockname()[1] & ~1
            try:
                _, rtp = await loop.create_datagram_endpoint(
                    lambda: _Port(lambda data: self._rtp(side, other, data)), local_addr=(HOST, port)
                )
            except OSError:
                continue
            try:
                _, rtcp = await loop.create_datagram_endpoint(
                    lambda: _Port(lambda data: self._rtcp(other, data)), local_addr=(HOST, port + 1)
                )
            except OSError:
                rtp.close()
                continue
            facing.rtp, facing.rtcp, facing.port = rtp, rtcp, port
            return
        raise OSError("no free pair of UDP ports on 127.0.0.1 for the media relay")

    def anchor(self, side: Side, media: Media) -> int:
        """`side`'s phone hears at `media` (its SDP said so): the RTP port its peer is to send to instead, the
        relay's port facing the peer."""
        self._facing[side].media = media
        peer: Side = "agent" if side == "customer" else "customer"
        return self._facing[peer].port

    def port_facing(self, side: Side) -> int:
        return self._facing[side].port

    # --- the packets -----------------------------------------------------------------------------------------------

    def _rtp(self, sender: Side, receiver: Side, data: bytes) -> None:
        passed = sender == "customer" or self._music is None
        if passed:
            self._send_rtp(receiver, data)
            self.relayed[sender] += 1
        ear = self.ears.get(sender)
        if ear is not None or passed:
            payload_type, payload = g711_payload(data)
            if payload:
                recorder = self.recorder if passed else None
                if passed:
                    self.levels.add(sender, payload_type, payload)
                if ear is not None or recorder is not None:
                    pcm = g711.decode(payload_type, payload)
                    if ear is not None:
                        ear(pcm)
                    if recorder is not None:
                        recorder(sender, pcm)

    def _send_rtp(self, receiver: Side, data: bytes) -> None:
        facing = self._facing[receiver]
        if facing.rtp is not None:
            facing.rtp.send(data, facing.rtp_to())

    def _rtcp(self, receiver: Side, data: bytes) -> None:
        port = self._facing[receiver].rtcp
        if port is not None:
            port.send(data, self._facing[receiver].rtcp_to())

    # --- the hold music --------------------------------------------------------------------------------------------

    def play_to_caller(self, music: bytes) -> None:
        """The hold music toward the caller, from the port the caller hears the agent from, until `stop_playing`."""
        if self._music is None:
            self._music = HoldMusic(music, lambda packet: self._send_rtp("customer", packet))
            self._music.play()

    def prompts_to_caller(self, said: Callable[[bytes], None] | None = None) -> Prompts:
        """A voice of the contact center's toward the caller (a virtual agent's answers, each said once), from the
        port the caller hears the agent from, in place of the agent's side until `stop_playing`. `said`: each frame
        of mu-law it sends (a recording's)."""
        if not isinstance(self._music, Prompts):
            self._music = Prompts(lambda packet: self._send_rtp("customer", packet), said)
            self._music.play()
        return self._music

    async def stop_playing(self) -> None:
        music, self._music = self._music, None
        if music is not None:
            await music.stop()

    @property
    def playing(self) -> bool:
        return self._music is not None

    async def close(self) -> None:
        self.ears.clear()
        self.recorder = None
        await self.stop_playing()
        for facing in self._facing.values():
            for port in (facing.rtp, facing.rtcp):
                if port is not None:
                    port.close()


def audio_of(packet: bytes) -> bytes:
    """The 16-bit PCM of an RTP packet carrying G.711; empty for anything else (`g711_payload`)."""
    payload_type, payload = g711_payload(packet)
    return g711.decode(payload_type, payload) if payload else b""


def g711_payload(packet: bytes) -> tuple[int, bytes]:
    """The payload type and G.711 payload of an RTP packet (RFC 3550 §5.1: CSRCs, an extension, padding skipped);
    empty for anything else (telephone events, comfort noise, RTCP on a muxed port, a packet that is not RTP 2)."""
    if len(packet) < 12 or packet[0] >> 6 != 2 or not g711.decodes(packet[1] & 0x7F):
        return 0, b""
    start = 12 + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10:
        if len(packet) < start + 4:
            return 0, b""
        start += 4 + 4 * struct.unpack_from("!H", packet, start + 2)[0]
    end = len(packet) - (packet[-1] if packet[0] & 0x20 else 0)
    if end <= start:
        return 0, b""
    return packet[1] & 0x7F, packet[start:end]
