"""Hold music into a caller's ear: G.711 mu-law RTP sent by the mock while the contact is on hold, as a contact
center's media server plays its queue's music into the held leg; and prompts, each played once (a virtual agent's
answers, bot_calls.py), silence between them.

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
from collections import deque
from collections.abc import Callable

FRAME = 160  # bytes of mu-law in one packet (a fiftieth of a second at 8 kHz)
PACKET_S = 0.02
PCMU = 0
SILENT_FRAME = bytes([0xFF]) * FRAME  # mu-law's zero


class _Paced:
    """One RTP stream toward the caller, a packet of `_next_frame()` each fiftieth of a second on the loop's clock."""

    def __init__(self, send: Callable[[bytes], None], name: str) -> None:
        self._send = send
        self._name = name
        self._task: asyncio.Task[None] | None = None

    @property
    def playing(self) -> bool:
        return self._task is not None

    def play(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _next_frame(self) -> bytes:
        raise NotImplementedError

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        ssrc, sequence, stamp = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
        due = loop.time()
        while True:
            header = struct.pack("!BBHII", 0x80, PCMU, sequence & 0xFFFF, stamp & 0xFFFFFFFF, ssrc)
            self._send(header + self._next_frame())
            sequence, stamp = sequence + 1, stamp + FRAME
            due += PACKET_S
            await asyncio.sleep(max(0.0, due - loop.time()))


class HoldMusic(_Paced):
    def __init__(self, music: bytes, send: Callable[[bytes], None]) -> None:
        """`music`: raw mu-law at 8 kHz, played in a loop; `send`: one RTP packet toward the caller."""
        super().__init__(send, "hold music")
        self._music = music or SILENT_FRAME
        self._offset = 0

    def _next_frame(self) -> bytes:
        chunk = self._music[self._offset : self._offset + FRAME]
        if len(chunk) < FRAME:
            self._offset, chunk = 0, self._music[:FRAME]
        self._offset += FRAME
        return chunk


class Prompts(_Paced):
    """Prompts said into the caller's ear, each once, in the order given, silence between them: one stream for the
    whole call (one source for the caller's jitter buffer, as the music is)."""

    def __init__(self, send: Callable[[bytes], None], said: Callable[[bytes], None] | None = None) -> None:
        """`send`: one RTP packet toward the caller; `said`: each frame of a prompt's mu-law as it goes out (what a
        recording of the call keeps of this side)."""
        super().__init__(send, "prompts")
        self._said = said
        self._waiting: deque[tuple[bytes, asyncio.Future[None]]] = deque()
        self._offset = 0

    def say(self, prompt: bytes) -> asyncio.Future[None]:
        """`prompt` (raw mu-law at 8 kHz) after those already waiting: done once its last packet is sent (or the
        prompts stop)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((prompt, done))
        self.play()
        return done

    async def stop(self) -> None:
        await super().stop()
        while self._waiting:
            _, done = self._waiting.popleft()
            if not done.done():
                done.set_result(None)

    def _next_frame(self) -> bytes:
        while self._waiting:
            prompt, done = self._waiting[0]
            chunk = prompt[self._offset : self._offset + FRAME]
            if chunk:
                self._offset += FRAME
                chunk += SILENT_FRAME[len(chunk) :]
                if self._said is not None:
                    self._said(chunk)
                return chunk
            self._waiting.popleft()
            self._offset = 0
            if not done.done():
                done.set_result(None)
        return SILENT_FRAME
