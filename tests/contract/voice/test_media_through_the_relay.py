"""A real call's media through the mock's SIP proxy and media relay, on loopback sockets standing for the two phones
(what baresip sends: an INVITE with its SDP, the 200 answering it, a hold's re-INVITE coming back the other way).

Each side's SDP is pointed at the relay, so each phone sends to the relay and hears the other's packets unchanged;
the contact center hears each side's audio decoded; a hold's re-INVITE passes through the proxy too (it
record-routes the call), so the relay follows a side that moves its audio; the hold music reaches the caller from
the relay and the agent's audio is not passed on while it plays."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

from agent_desktop_mocks.ccaas.voice.media import g711
from agent_desktop_mocks.ccaas.voice.media.rtp_relay import RtpRelay
from agent_desktop_mocks.ccaas.voice.media.sdp import audio_of
from agent_desktop_mocks.ccaas.voice.sip_proxy import SipProxy

WAIT_S = 5.0  # the bound on a datagram's arrival on loopback
CONTACT = "contact-76"


class Socket(asyncio.DatagramProtocol):
    """A phone's UDP port: what arrives, queued."""

    def __init__(self) -> None:
        self.arrived: asyncio.Queue[bytes] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.arrived.put_nowait(data)

    @property
    def port(self) -> int:
        assert self.transport is not None
        port: int = self.transport.get_extra_info("sockname")[1]
        return port

    def send(self, data: bytes, port: int) -> None:
        assert self.transport is not None
        self.transport.sendto(data, ("127.0.0.1", port))

    async def next(self) -> bytes:
        async with asyncio.timeout(WAIT_S):
            return await self.arrived.get()

    def nothing_waiting(self) -> bool:
        return self.arrived.empty()


@asynccontextmanager
async def sockets(count: int) -> AsyncIterator[list[Socket]]:
    loop = asyncio.get_running_loop()
    made = [(await loop.create_datagram_endpoint(Socket, local_addr=("127.0.0.1", 0)))[1] for _ in range(count)]
    try:
        yield made
    finally:
        for socket in made:
            assert socket.transport is not None
            socket.transport.close()


def sdp(rtp_port: int, direction: str = "sendrecv") -> str:
    return (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {rtp_port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na={direction}\r\n"
    )


def message(first: str, headers: list[str], body: str) -> bytes:
    return (
        "\r\n".join([first, *headers, "Content-Type: application/sdp", f"Content-Length: {len(body)}"])
    ).encode() + (b"\r\n\r\n" + body.encode())


def parts(data: bytes) -> tuple[list[str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    return head.decode().split("\r\n"), body


def header(lines: list[str], name: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith(name.lower() + ":")]


def packet(payload_type: int, payload: bytes, sequence: int) -> bytes:
    return struct.pack("!BBHII", 0x80, payload_type, sequence, 160 * sequence, 0x76) + payload


async def test_both_sides_hear_each_other_through_the_relay_which_hears_both_and_plays_the_hold_music() -> None:
    heard: dict[str, list[bytes]] = {"customer": [], "agent": []}
    async with sockets(5) as (caller_sip, caller_rtp, agent_sip, agent_rtp, agent_rtp_after_hold):
        relay = await RtpRelay(CONTACT).open()
        relay.ears["customer"] = heard["customer"].append
        relay.ears["agent"] = heard["agent"].append
        proxy = SipProxy(
            lambda port: CONTACT if port == caller_sip.port else None,
            lambda contact_id, side, media: relay.anchor(side, media) if contact_id == CONTACT else None,
        )
        await proxy.start()
        try:
            via = f"Via: SIP/2.0/UDP 127.0.0.1:{caller_sip.port};branch=z9hG4bK-1;rport"
            dialog = ["From: <sip:caller@127.0.0.1>;tag=c1", "Call-ID: call-76@127.0.0.1", "CSeq: 1 INVITE"]
            invite = message(
                f"INVITE sip:agent@127.0.0.1:{agent_sip.port} SIP/2.0",
                [via, "Max-Forwards: 70", "To: <sip:agent@127.0.0.1>", *dialog],
                sdp(caller_rtp.port),
            )
            caller_sip.send(invite, proxy.port)
            lines, body = parts(await agent_sip.next())
            offered = audio_of(body)
            assert offered is not None
            assert offered.rtp_port == relay.port_facing("agent")
            assert header(lines, "Record-Route") == [f"<sip:127.0.0.1:{proxy.port};lr>"]
            assert header(lines, "X-Agent-Desktop-Contact") == [CONTACT]
            assert header(lines, "Content-Length") == [str(len(body))]

            vias = [f"Via: {value}" for value in header(lines, "Via")]
            ok = message(
                "SIP/2.0 200 OK",
                [
                    *vias,
                    "To: <sip:agent@127.0.0.1>;tag=a1",
                    *dialog,
                    f"Contact: <sip:agent@127.0.0.1:{agent_sip.port}>",
                ],
                sdp(agent_rtp.port),
            )
            agent_sip.send(ok, proxy.port)
            lines, body = parts(await caller_sip.next())
            answered = audio_of(body)
            assert lines[0] == "SIP/2.0 200 OK"
            assert answered is not None
            assert answered.rtp_port == relay.port_facing("customer")

            said, replied = packet(g711.PCMU, bytes(range(160)), 1), packet(g711.PCMA, bytes(range(96, 256)), 2)
            caller_rtp.send(said, answered.rtp_port)
            assert await agent_rtp.next() == said, "the agent hears the caller's packet as it was sent"
            agent_rtp.send(replied, offered.rtp_port)
            assert await caller_rtp.next() == replied, "the caller hears the agent's packet as it was sent"
            assert heard["customer"] == [g711.decode(g711.PCMU, bytes(range(160)))]
            assert heard["agent"] == [g711.decode(g711.PCMA, bytes(range(96, 256)))]

            hold = message(  # the agent's softphone holds: its re-INVITE, through the proxy by the route it was given
                f"INVITE sip:caller@127.0.0.1:{caller_sip.port} SIP/2.0",
                [
                    f"Via: SIP/2.0/UDP 127.0.0.1:{agent_sip.port};branch=z9hG4bK-2;rport",
                    f"Route: <sip:127.0.0.1:{proxy.port};lr>",
                    "Max-Forwards: 70",
                    "From: <sip:agent@127.0.0.1>;tag=a1",
                    "To: <sip:caller@127.0.0.1>;tag=c1",
                    "Call-ID: call-76@127.0.0.1",
                    "CSeq: 2 INVITE",
                ],
                sdp(agent_rtp_after_hold.port, "sendonly"),
            )
            agent_sip.send(hold, proxy.port)
            lines, body = parts(await caller_sip.next())
            held = audio_of(body)
            assert lines[0].startswith("INVITE sip:caller@")
            assert not header(lines, "Route"), "the proxy's own route entry is consumed"
            assert held is not None
            assert held.rtp_port == relay.port_facing("customer")
            assert "a=sendonly" in body.decode()

            relay.play_to_caller(bytes([0x10]) * 1600)
            music = await caller_rtp.next()
            assert music[1] & 0x7F == g711.PCMU
            assert music[12:] == bytes([0x10]) * 160
            agent_rtp.send(replied, offered.rtp_port)  # the agent's audio while the music plays: not passed on
            caller_rtp.send(said, answered.rtp_port)
            assert await agent_rtp_after_hold.next() == said, "the caller's audio follows the agent's new port"
            await relay.stop_playing()
            while not caller_rtp.nothing_waiting():
                assert (await caller_rtp.next())[12:] == bytes([0x10]) * 160, "only music reached the caller"
            agent_rtp.send(replied, offered.rtp_port)
            assert await caller_rtp.next() == replied, "after the hold the caller hears the agent again"
        finally:
            proxy.close()
            await relay.close()
