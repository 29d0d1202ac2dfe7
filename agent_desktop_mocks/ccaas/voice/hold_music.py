"""Hold music into a caller's ear: G.711 mu-law RTP sent by the mock to the caller's RTP port while the contact is
on hold, as a contact center's media server plays its queue's music into the held leg.

The two phones talk RTP to each other directly (no media relay in the mock); while the agent holds (a re-INVITE
`sendonly`), neither sends, and the music reaches the caller's RTP port (measured on the wire: that the caller's
baresip plays RTP from a source other than its peer is assumed, not measured). One packet of a fiftieth of a second each fiftieth, paced on the loop's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
from pathlib import Path

FRAME = 160  # bytes of mu-law in one packet (a fiftieth of a second at 8 kHz)
PACKET_S = 0.02
PCMU = 0


class HoldMusic:
    def __init__(self, music: Path, port: int) -> None:
        """`music`: raw mu-law at 8 kHz, played in a loop; `port`: the caller's RTP port on 127.0.0.1."""
        self._music = music.read_bytes() or bytes([0xFF]) * FRAME
        self._port = port
        self._task: asyncio.Task[None] | None = None

    @property
    def playing(self) -> bool:
        return self._task is not None

    def play(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"hold music to {self._port}")

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
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            due = loop.time()
            while True:
                chunk = self._music[offset : offset + FRAME]
                if len(chunk) < FRAME:
                    offset, chunk = 0, self._music[:FRAME]
                offset += FRAME
                header = struct.pack("!BBHII", 0x80, PCMU, sequence & 0xFFFF, stamp & 0xFFFFFFFF, ssrc)
                with contextlib.suppress(OSError):  # a caller gone: the leg's end stops the music
                    sock.sendto(header + chunk, ("127.0.0.1", self._port))
                sequence, stamp = sequence + 1, stamp + FRAME
                due += PACKET_S
                await asyncio.sleep(max(0.0, due - loop.time()))
