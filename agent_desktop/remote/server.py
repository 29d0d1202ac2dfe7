"""The remote control's server: a Unix socket only this user can reach, one JSON request per line
(agent_desktop/remote/protocol.py), answered by the desk's hands in the desk's own event loop.

Who may connect: the socket is 0600 in a 0700 folder of this user's (agent_desktop/local/paths.py), and each
connection's peer is asked its uid (SO_PEERCRED): a process of anyone else (root included) is told so and closed.
A desk that finds another desk answering on its socket does not take it over: it runs without a remote control
and says so in its log."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent_desktop.local.paths import close_socket_file, private_socket_place, remove_socket_file
from agent_desktop.remote.hands import RemoteHands
from agent_desktop.remote.protocol import (
    MAX_LINE,
    VERSION,
    BadRequest,
    Commands,
    Hello,
    Press,
    Run,
    State,
    Subscribe,
    answer,
    encode,
    parse_request,
    refusal,
)

log = logging.getLogger(__name__)
_PEER = struct.Struct("3i")  # struct ucred: pid, uid, gid


class SocketTaken(RuntimeError):
    """Another desk answers on the socket."""


def peer_uid(connection: socket.socket) -> int:
    """The uid of the process at the other end of a Unix socket (Linux's SO_PEERCRED)."""
    _, uid, _ = _PEER.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEER.size))
    return int(uid)


async def answers(path: Path, timeout_s: float = 1.0) -> bool:
    """Whether a desk answers on `path` now."""
    try:
        async with asyncio.timeout(timeout_s):
            _, writer = await asyncio.open_unix_connection(path)
    except (OSError, TimeoutError):
        return False
    writer.close()
    return True


class RemoteServer:
    def __init__(
        self,
        hands: RemoteHands,
        path: Path,
        *,
        own_folder: bool = True,
        owner_uid: int | None = None,
        desk: str = "agent",
        uid_of: Callable[[socket.socket], int] = peer_uid,
    ) -> None:
        """`own_folder`: the socket's folder is the desk's default one (tightened to 0700 if wider), not one the
        configuration named (then refused if others can reach it); `owner_uid`: who may connect (this user)."""
        self.hands, self.path, self.desk = hands, path, desk
        self._own_folder = own_folder
        self._owner_uid = os.getuid() if owner_uid is None else owner_uid
        self._uid_of = uid_of
        self._server: asyncio.Server | None = None
        self._subscribers: set[asyncio.StreamWriter] = set()
        self._last_state: dict[str, Any] | None = None

    async def start(self) -> None:
        """Listen; LocalPathError when the socket's place is not private, SocketTaken when another desk answers."""
        if await answers(self.path):
            raise SocketTaken(f"{self.path}: another desk answers on it")
        private_socket_place(self.path, own_folder=self._own_folder)
        self._server = await asyncio.start_unix_server(self._serve, path=self.path, limit=MAX_LINE)
        close_socket_file(self.path)
        log.info("remote control: listening on %s", self.path)

    async def aclose(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for writer in list(self._subscribers):
            writer.close()
        self._subscribers.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1):
                await self._server.wait_closed()
        remove_socket_file(self.path)
        self._server = None

    def changed(self) -> None:
        """The desk changed: each subscriber is sent its state if that differs from the last one sent."""
        if not self._subscribers:
            return
        state = self.hands.state()
        if state == self._last_state:
            return
        self._last_state = state
        self._broadcast({"event": "state", "state": state})

    def said(self, title: str, text: str, severity: str) -> None:
        """A notice the desk showed the agent, sent to the subscribers as it was shown."""
        self._broadcast({"event": "notice", "title": title, "text": text, "severity": severity})

    def _broadcast(self, message: dict[str, Any]) -> None:
        line = encode(message)
        for writer in list(self._subscribers):
            if writer.is_closing():
                self._subscribers.discard(writer)
            else:
                writer.write(line)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            connection = writer.get_extra_info("socket")
            uid = self._uid_of(connection)
            if uid != self._owner_uid:
                log.warning("remote control: refused a process of uid %s", uid)
                writer.write(encode(refusal(None, "this desk takes commands from its own user only")))
                await writer.drain()
                # What it sent meanwhile is read and dropped: closed with it unread, the refusal could be lost
                # to a reset before the peer read it.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await reader.read(MAX_LINE)
                return
            while line := await reader.readline():
                try:
                    reply = await self._answer(line, writer)
                except Exception:  # a script's request must not end the agent's desk: logged, and said
                    log.exception("remote control: a request failed: %.200r", line)
                    reply = refusal(None, "the desk could not do that (its log, desk.log, says why)")
                writer.write(encode(reply))
                await writer.drain()
        except (ValueError, asyncio.LimitOverrunError):  # a line longer than MAX_LINE: not a request
            with contextlib.suppress(OSError):
                writer.write(encode(refusal(None, f"a line longer than {MAX_LINE} bytes; closed")))
        except (ConnectionError, OSError):
            pass
        finally:
            self._subscribers.discard(writer)
            writer.close()

    async def _answer(self, line: bytes, writer: asyncio.StreamWriter) -> dict[str, Any]:
        try:
            request = parse_request(line)
        except BadRequest as bad:
            return refusal(bad.request_id, str(bad))
        match request:
            case Hello():
                return answer(request.id, protocol=VERSION, desk=self.desk)
            case State():
                return answer(request.id, state=self.hands.state())
            case Commands():
                return answer(request.id, commands=self.hands.commands())
            case Run(command=command):
                why = await self.hands.run(command)
                return answer(request.id) if why is None else refusal(request.id, why)
            case Press(keys=keys):
                why = await self.hands.press(keys)
                return answer(request.id) if why is None else refusal(request.id, why)
            case Subscribe():
                self._subscribers.add(writer)
                return answer(request.id, state=self.hands.state())
        raise AssertionError(request)
