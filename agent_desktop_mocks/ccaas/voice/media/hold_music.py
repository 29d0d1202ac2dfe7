"""Hold music into a caller's ear: G.711 mu-law RTP sent by the mock while the contact is on hold, as a contact
center's media server plays its queue's music into the held leg.

It goes out from the media relay's port that faces the caller (rtp_relay.py), the address the caller's SDP answer was
given for the agent's audio, so the caller's softphone hears it as the call's audio; while it plays, the relay sends
nothing of the agent's on (the agent holding sends nothing anyway: baresip 1.0 sends only on `sendrecv`). One packet
of a fiftieth of a second each fiftieth, paced on the loop's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import struct
from collections.abc import Callable

FRAME = 160  # bytes of mu-law in one packet (a fiftieth of a second at 8 kHz)
PACKET_S = 0.02
PCMU = 0


class HoldMusic:
    def __init__(self, music: bytes, send: Callable[[bytes], None]) -> None:
        """`music`: raw mu-law at 8 kHz, played in a loop; `send`: one RTP packet toward the caller."""
        self._music = music or bytes([0xFF]) * FRAME
        self._send = send
        self._task: asyncio.Task[None] | None = None

    @property
    def playing(self) -> bool:
        return self._task is not None

    def play(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="hold music")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        ssrc, sequence, stamp = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
        offset = 0
        due = loop.time()
        while True:
            chunk = self._music[offset : offset + FRAME]
            if len(chunk) < FRAME:
                offset, chunk = 0, self._music[:FRAME]
            offset += FRAME
            header = struct.pack("!BBHII", 0x80, PCMU, sequence & 0xFFFF, stamp & 0xFFFFFFFF, ssrc)
            self._send(header + chunk)
            sequence, stamp = sequence + 1, stamp + FRAME
            due += PACKET_S
            await asyncio.sleep(max(0.0, due - loop.time()))
