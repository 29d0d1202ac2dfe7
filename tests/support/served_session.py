"""A browser session of `agent-desktop serve` without a browser: its websocket driven as textual-serve's page drives
it (keys as `["stdin", text]`, `ping`, `resize`), what the desk draws kept as raw bytes, and the desk processes the
server started, read from /proc.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx


@dataclass
class DeskSocket:
    """One session's websocket: every byte the desk drew, and every text frame the server sent (`pong`...)."""

    websocket: aiohttp.ClientWebSocketResponse
    drawn: bytearray = field(default_factory=bytearray)
    texts: list[str] = field(default_factory=list)

    async def read(self) -> None:
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.drawn += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(message.data)

    async def wait_for(self, needle: bytes, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while needle not in self.drawn:
            if self.websocket.closed:
                raise AssertionError(f"the session closed before {needle!r} was drawn")
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never drawn; last bytes: {bytes(self.drawn[-600:])!r}")
            await asyncio.sleep(0.05)

    async def type(self, text: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", text]))

    async def ping(self, timeout_s: float = 10.0) -> None:
        """A ping answered: the server still reads this session."""
        token = f"ping-{time.monotonic_ns()}"
        await self.websocket.send_str(json.dumps(["ping", token]))
        deadline = time.monotonic() + timeout_s
        while json.dumps(["pong", token]) not in self.texts:
            assert not self.websocket.closed, "the session closed instead of answering a ping"
            assert time.monotonic() < deadline, "no pong"
            await asyncio.sleep(0.05)


@asynccontextmanager
async def desk_socket(url: str, *, origin: str | None = None) -> AsyncIterator[DeskSocket]:
    """A session opened on the served desk at `url` (closed after, as a closed tab closes it)."""
    headers = {"Origin": origin} if origin is not None else {}
    async with aiohttp.ClientSession() as http:
        websocket = await http.ws_connect(
            f"{url}ws?width=120&height=40", headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=10)
        )
        socket = DeskSocket(websocket)
        reader = asyncio.create_task(socket.read())
        try:
            yield socket
        finally:
            await websocket.close()
            await asyncio.wait_for(reader, timeout=10)


def handshake_status(url: str, *, origin: str | None = None) -> tuple[int, str]:
    """The status of a websocket opening handshake to the served desk, and the body of a refusal."""
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    } | ({"Origin": origin} if origin else {})
    with httpx.stream("GET", f"{url}ws", headers=headers, timeout=10) as response:
        if response.status_code == 101:
            return 101, ""
        return response.status_code, response.read().decode(errors="replace")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def desk_processes(serve_pid: int) -> list[int]:
    """The desk processes `agent-desktop serve` started (through a shell or not), alive now."""
    found, todo = [], _children(serve_pid)
    while todo:
        pid = todo.pop()
        todo += _children(pid)
        if "agent_desktop" in _cmdline(pid):
            found.append(pid)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie has ended: only its parent has yet to read its status)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
