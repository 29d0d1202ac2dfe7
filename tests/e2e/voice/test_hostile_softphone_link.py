"""A softphone link that sends what baresip never would: the desk's adapter says so in one error, on the command
waiting for its answer and on the events stream, and neither hangs nor crashes (a peer on a real loopback socket)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEventKind, SoftphoneError

WAIT_S = 10.0


@asynccontextmanager
async def peer_saying(reply: bytes) -> AsyncIterator[int]:
    """A loopback peer that answers the first bytes it reads with `reply` and then keeps the link open."""

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(reply)
        await writer.drain()
        await reader.read()  # until the adapter closes
        writer.close()

    server = await asyncio.start_server(talk, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (b"12345678901234567890:", "digits"),
        (b"2:{}x,", "comma"),
        (b'9:["event"],', "not an object"),
        (b'%d:{"event":true,"type":"CALL_INCOMING","class":"call"},' % 52, "'id'"),
        (b"4:\xff\xfe\xfd\xfc,", "not JSON"),
    ],
)
async def test_a_hostile_frame_fails_the_waiting_command_and_the_events_with_the_adapters_error(
    reply: bytes, why: str
) -> None:
    async with peer_saying(reply) as port:
        phone = BaresipSoftphone(port=port, answer_s=WAIT_S)
        await phone.connect()
        events = phone.events()
        try:
            async with asyncio.timeout(WAIT_S):
                with pytest.raises(SoftphoneError, match=why):
                    await phone.answer("c1")
                with pytest.raises(SoftphoneError, match=why):
                    await anext(events)
                with pytest.raises(SoftphoneError, match=why):  # the broken link stays broken, said the same way
                    await phone.hold("c1")
        finally:
            await phone.aclose()


async def test_a_call_event_among_answers_reaches_the_events_and_the_answer_its_command() -> None:
    incoming = b'{"event":true,"type":"CALL_INCOMING","class":"call","id":"c1","peeruri":"sip:[b]x[/b]@127.0.0.1"}'
    found = b'{"response":true,"ok":true,"data":"setting current call: c1\\n","token":"1"}'
    async with peer_saying(b"%d:%s,%d:%s," % (len(incoming), incoming, len(found), found)) as port:
        phone = BaresipSoftphone(port=port, answer_s=1.0)  # the accept is never answered: a short bound
        await phone.connect()
        events = phone.events()
        try:
            async with asyncio.timeout(WAIT_S):
                with pytest.raises(SoftphoneError, match="did not answer 'accept'"):
                    await phone.answer("c1")  # its callfind answered, the accept never
                event = await anext(events)
        finally:
            await phone.aclose()
    assert (event.kind, event.call_id, event.peer) == (CallEventKind.INCOMING, "c1", "sip:[b]x[/b]@127.0.0.1")
