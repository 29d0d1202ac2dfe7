"""`agent-desktop remote`: a script's side of the remote control, on a plain blocking socket (no event loop, so a
shell script pays for nothing else). One request, its answer; or `watch`: the events until interrupted."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent_desktop.remote.protocol import MAX_LINE, encode


class RemoteError(Exception):
    """No desk to talk to, or one that closed the connection: one line for the terminal."""


class RemoteClient:
    def __init__(self, path: Path, timeout_s: float = 10.0) -> None:
        self.path = path
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.settimeout(timeout_s)
        try:
            self._socket.connect(str(path))
        except FileNotFoundError:
            raise RemoteError(f"no desk is running with a remote control ({path} does not exist)") from None
        except ConnectionRefusedError:
            raise RemoteError(f"no desk answers on {path} (a desk that stopped left it)") from None
        except PermissionError:
            raise RemoteError(f"{path}: not yours to connect to") from None
        self._lines = self._socket.makefile("rb")
        self._next_id = 0

    def close(self) -> None:
        self._lines.close()
        self._socket.close()

    def __enter__(self) -> RemoteClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _read(self) -> dict[str, Any]:
        line = self._lines.readline(MAX_LINE + 1)
        if not line:
            raise RemoteError("the desk closed the connection")
        message = json.loads(line)
        if not isinstance(message, dict):
            raise RemoteError(f"the desk answered with something else than an object: {line[:80]!r}")
        return message

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send one request, return its answer (events that come first are skipped)."""
        self._next_id += 1
        self._socket.sendall(encode({"op": op, "id": self._next_id, **fields}))
        while True:
            message = self._read()
            if message.get("id") == self._next_id or ("event" not in message and message.get("id") is None):
                return message

    def events(self) -> Iterator[dict[str, Any]]:
        """Subscribe; the current state first, then each event as it comes."""
        first = self.request("subscribe")
        yield {"event": "state", "state": first.get("state")} if first.get("ok") else first
        self._socket.settimeout(None)
        while True:
            yield self._read()
