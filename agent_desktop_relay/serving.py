"""Serving the relay as a public endpoint: uvicorn on h11 with a deadline for each request's headers.

uvicorn times out only an idle kept-alive connection (`timeout_keep_alive`, armed after a response): a
connection that sends half a request line, or headers a byte at a time, is held for ever, and a few thousand
of them use up the process's file descriptors until real callbacks are refused. `HeaderDeadlineProtocol`
closes a connection whose request headers are not complete `header_timeout_s` after it opened or after its
previous response. (The body's own deadline is the app's: agent_desktop_relay/app.py, `body_timeout_s`.) It relies
on `H11Protocol` calling `connection_made`, `data_received` and `on_response_complete`, and setting
`cycle` once a request's headers are in: the version guard below fails on a uvicorn it was not checked with.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import signal
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

CHECKED_UVICORN = ("0.54",)  # the releases whose H11Protocol and Server._captured_signals this was read against
IDLE_S = 30  # an idle kept-alive connection is closed after this (a client keeps one 5 s: httpx's default)
HEADER_LIMIT_BYTES = 16 * 1024  # h11's limit on a request line and headers


def uvicorn_checked() -> bool:
    return importlib.metadata.version("uvicorn").startswith(CHECKED_UVICORN)


class HeaderDeadlineProtocol(H11Protocol):
    header_timeout_s = 10.0
    _deadline: asyncio.TimerHandle | None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.cycle is None or self.cycle.response_complete:  # still waiting for a request's headers
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # the headers are in: the app's own deadlines hold from here

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def server(
    app: FastAPI,
    host: str,
    port: int,
    *,
    header_timeout_s: float = 10.0,
    max_connections: int | None = 4096,
    **options: Any,
) -> uvicorn.Server:
    protocol = type("RelayH11Protocol", (HeaderDeadlineProtocol,), {"header_timeout_s": header_timeout_s})
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        loop="asyncio",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=IDLE_S,
        h11_max_incomplete_event_size=HEADER_LIMIT_BYTES,
        limit_concurrency=max_connections,
        timeout_graceful_shutdown=2,
        **options,
    )
    return QuietExitServer(config)


class QuietExitServer(uvicorn.Server):
    """SIGTERM or ctrl+c shuts the relay down gracefully and it exits 0. uvicorn raises a signal it handled once more
    after its shutdown, so the relay died of it (-15 on a service manager's stop, a KeyboardInterrupt traceback on
    ctrl+c); it keeps the signals it caught in `_captured_signals` (uvicorn 0.54, under the guard above)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if sig in (signal.SIGTERM, signal.SIGINT) and sig in self._captured_signals:
            self._captured_signals.remove(sig)
