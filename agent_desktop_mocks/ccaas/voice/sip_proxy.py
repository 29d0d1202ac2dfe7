"""The mock's SIP side: a stateless proxy on loopback (RFC 3261 §16.11) that every caller leg's requests pass through.

It adds `X-Agent-Desktop-Contact: <contact id>` to a call's first INVITE (baresip 1.0 cannot add a header itself:
its `dial` sends a URI's `?headers` inside the request line), names itself in a Via so the answers come back through
it, and forwards nothing off the machine: a request for a host that is not 127.x is answered 403 here. It
record-routes a call's first INVITE, so the dialog's later requests (the ACK of a 200, BYE, the re-INVITEs of a hold)
pass through it too, and it anchors the call's media: the SDP of every offer and answer of the call (by its Call-ID)
is rewritten to point at the mock's media relay (rtp_relay.py), each side's at the port facing the other.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal, cast

from agent_desktop_mocks.ccaas.voice.media.sdp import Media, anchored, audio_of
from agent_desktop_mocks.ccaas.voice.phone_lines import placed_contact

log = logging.getLogger(__name__)

CONTACT_HEADER = "X-Agent-Desktop-Contact"
MAX_DATAGRAM = 65535
_VIA = re.compile(r"(?i)^(via|v)\s*:")
_ROUTE = re.compile(r"(?i)^route\s*:")
_SENT_BY = re.compile(r"(?i)SIP/2\.0/UDP\s+([^;:\s]+)(?::(\d+))?")
_RPORT = re.compile(r"(?i);rport=(\d+)")
_BRANCH = re.compile(r"(?i);branch=([^;\s,]+)")
_REQUEST_URI = re.compile(r"(?i)^sips?:(?:[^@;?]*@)?([^;:?>]+)(?::(\d+))?")
_TO_TAG = re.compile(r"(?i);tag=")
_CALL_ID = re.compile(r"(?i)^(?:call-id|i)\s*:\s*(.+?)\s*$")
_LENGTH = re.compile(r"(?i)^(?:content-length|l)\s*:")
_SDP = re.compile(r"(?i)^(?:content-type|c)\s*:\s*application/sdp")
MAX_CALLS = 4096  # calls whose media is anchored, remembered: the oldest forgotten past it

Side = Literal["customer", "agent"]
# Who anchors a call's media (the voice leg, through the call's relay): the contact, the side whose SDP it is, where
# that side hears; the port the other side is to send to instead, or None (no relay: the SDP passes unchanged).
Anchor = Callable[[str, Side, Media], int | None]


class SipProxy(asyncio.DatagramProtocol):
    def __init__(
        self,
        contact_of: Callable[[int], str | None],
        anchor: Anchor | None = None,
        placed: Callable[[str], str | None] | None = None,
        hung_up: Callable[[str, Side], None] | None = None,
    ) -> None:
        """`contact_of`: the contact id a caller leg speaks for, by the caller's SIP port (None: not a call of ours).
        `anchor`: where a call's media goes instead of straight between the phones (None: nowhere). `placed`: where
        a call the agent placed rings, by its contact id (phone_lines.py: the agent's softphone dials the proxy).
        `hung_up`: told of each BYE of a call of ours (a placed call's end: the mock owns neither of its phones)."""
        self._contact_of = contact_of
        self._anchor = anchor
        self._placed = placed
        self._hung_up = hung_up  # a BYE of a call of ours: its contact, and the side that sent it
        self._transport: asyncio.DatagramTransport | None = None
        # Call-ID: the contact, the SIP port of the side that sent the first INVITE, and which side that is
        self._calls: OrderedDict[str, tuple[str, int, Side]] = OrderedDict()
        self.port = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=("127.0.0.1", 0))
        self.port = transport.get_extra_info("sockname")[1]

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)  # uvloop's is not asyncio's class

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            head, sep, body = data.partition(b"\r\n\r\n")
            lines = head.decode("utf-8").split("\r\n")
        except UnicodeDecodeError:
            return
        if not sep or not lines[0]:
            return
        if lines[0].startswith("SIP/2.0 "):
            self._response(lines, self._media(lines, body, addr))
        else:
            self._request(lines, body, addr)

    def forget(self, contact_id: str) -> None:
        """The contact's calls are over: their media is no longer anchored."""
        for call_id in [key for key, (contact, _, _) in self._calls.items() if contact == contact_id]:
            del self._calls[call_id]

    def _media(self, lines: list[str], body: bytes, addr: tuple[str, int]) -> bytes:
        """The SDP of a call of ours pointed at its relay (the lines' Content-Length with it); else `body` as it was."""
        if self._anchor is None or not body:
            return body
        call_id = next((found.group(1) for line in lines[1:] if (found := _CALL_ID.match(line))), None)
        call = self._calls.get(call_id) if call_id is not None else None
        if call is None or not any(_SDP.match(line) for line in lines[1:]):
            return body
        media = audio_of(body)
        if media is None:
            return body
        contact_id, first_port, first_side = call
        side = first_side if addr[1] == first_port else _other(first_side)
        port = self._anchor(contact_id, side, media)
        if port is None:
            return body
        body = anchored(body, "127.0.0.1", port)
        for index, line in enumerate(lines):
            if _LENGTH.match(line):
                lines[index] = f"Content-Length: {len(body)}"
        return body

    def _request(self, lines: list[str], body: bytes, addr: tuple[str, int]) -> None:
        method, _, rest = lines[0].partition(" ")
        uri = rest.rsplit(" ", 1)[0]
        target = _REQUEST_URI.match(uri)
        if target is None or not _loopback(target.group(1)):
            if method != "ACK":
                self._answer(lines, addr, "403 Forbidden: calls from this mock stay on the machine")
            return
        headers: list[str] = []
        branch = ""
        for line in lines[1:]:
            if _ROUTE.match(line) and f":{self.port}" in line:
                continue  # the route entry that brought it here
            if not branch and _VIA.match(line):
                found = _BRANCH.search(line)
                branch = found.group(1) if found else line
            if line.lower().startswith("max-forwards:"):
                hops = int(line.split(":", 1)[1].strip() or 0)
                if hops <= 0:
                    if method != "ACK":
                        self._answer(lines, addr, "483 Too Many Hops")
                    return
                line = f"Max-Forwards: {hops - 1}"
            headers.append(line)
        ours = "z9hG4bK" + hashlib.sha256(f"{branch}{self.port}".encode()).hexdigest()[:20]
        headers.insert(0, f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={ours};rport")
        first_invite = method == "INVITE" and not any(
            line.lower().startswith(("to:", "t:")) and _TO_TAG.search(line) for line in lines[1:]
        )
        contact_id = self._contact_of(addr[1]) if first_invite else None
        first_side: Side = "customer"
        # A placed call's requests that keep the dialled URI (its INVITE, a CANCEL, the ACK of a refusal): on to the
        # number's line; its first INVITE makes it a call of ours.
        placed = placed_contact(uri) if contact_id is None and self._placed is not None else None
        ring = self._placed(placed) if placed is not None and self._placed is not None else None
        if placed is not None and ring is None:
            if method != "ACK":
                self._answer(lines, addr, "404 Not Found: no line for this call")
            return
        if placed is not None and ring is not None:
            if first_invite:
                contact_id, first_side = placed, "agent"
            lines[0] = f"{method} {ring} SIP/2.0"
            target = _REQUEST_URI.match(ring)
            assert target is not None
        if contact_id is not None:
            headers.insert(1, f"Record-Route: <sip:127.0.0.1:{self.port};lr>")
            headers.append(f"{CONTACT_HEADER}: {contact_id}")
            call_id = next((found.group(1) for line in lines[1:] if (found := _CALL_ID.match(line))), None)
            if call_id is not None:
                self._calls[call_id] = (contact_id, addr[1], first_side)
                while len(self._calls) > MAX_CALLS:
                    self._calls.popitem(last=False)
        if method == "BYE" and self._hung_up is not None:
            self._told_bye(lines, addr)
        request = [lines[0], *headers]
        body = self._media(request, body, addr)
        self._send(request, body, (target.group(1), int(target.group(2) or 5060)))

    def _told_bye(self, lines: list[str], addr: tuple[str, int]) -> None:
        call_id = next((found.group(1) for line in lines[1:] if (found := _CALL_ID.match(line))), None)
        call = self._calls.get(call_id) if call_id is not None else None
        if call is not None and self._hung_up is not None:
            contact_id, first_port, first_side = call
            self._hung_up(contact_id, first_side if addr[1] == first_port else _other(first_side))

    def _response(self, lines: list[str], body: bytes) -> None:
        """Sent back to the next Via's address, ours taken off. Vias may come one a line or several on one line,
        separated by commas (RFC 3261 §7.3.1: SIPp's answers combine them; baresip's do not)."""
        vias = [index for index, line in enumerate(lines) if _VIA.match(line)]
        if not vias:
            return
        name, _, values = lines[vias[0]].partition(":")
        ours, *others = (value.strip() for value in values.split(","))
        if f":{self.port};" not in ours:
            return  # not through us
        if others:
            nxt = others[0]
            lines[vias[0]] = f"{name}: {', '.join(others)}"
        elif len(vias) > 1:
            nxt = lines[vias[1]].partition(":")[2].split(",")[0]
            del lines[vias[0]]
        else:
            return  # nowhere to send it back to
        sent_by = _SENT_BY.search(nxt)
        if sent_by is None:
            return
        rport = _RPORT.search(nxt)
        host = sent_by.group(1)
        if not _loopback(host):
            return
        port = int(rport.group(1)) if rport else int(sent_by.group(2) or 5060)
        self._send(lines, body, (host, port))

    def _answer(self, lines: list[str], addr: tuple[str, int], status: str) -> None:
        """A final answer to a request refused here, with the headers that match it to its transaction."""
        keep = [line for line in lines[1:] if line.split(":", 1)[0].strip().lower() in _ECHOED]
        self._send([f"SIP/2.0 {status}", *keep, "Content-Length: 0"], b"", addr)

    def _send(self, lines: list[str], body: bytes, to: tuple[str, int]) -> None:
        if self._transport is None:
            return
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        if len(data) > MAX_DATAGRAM:
            log.warning("a SIP message of %d bytes is not forwarded", len(data))
            return
        self._transport.sendto(data, to)


_ECHOED = {"via", "v", "from", "f", "to", "t", "call-id", "i", "cseq"}


def _other(side: Side) -> Side:
    return "agent" if side == "customer" else "customer"


def _loopback(host: str) -> bool:
    try:
        return ipaddress.IPv4Address(host).is_loopback
    except ValueError:
        return False
