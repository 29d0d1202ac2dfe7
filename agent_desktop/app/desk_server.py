"""The server behind `agent-desktop serve`: textual-serve's, with what a desk handed to a browser needs on top.

- Only the desk's own pages may open a session (textual-serve checks no Origin), and at most `max_sessions` at once:
  each session is a desk process logged in, so one more is refused with 429 and a reason.
- A session's desk is started without a shell, and stopped in bounded time when the session ends: told to leave
  (it signs its agent out, agent_desktop/ui/terminal/served_driver.py), then SIGTERM, then SIGKILL. Its output is read to
  the end even after the browser left, so a desk still signing out never blocks on a full pipe.
- What a browser sends is read strictly (browser_messages.py); the console logs plain lines, never a Rich
  traceback with local variables (textual-serve's logging shows them: what was typed, a card number among them).
- Every answer forbids framing and names where the page may load from (served_page.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import sys
from typing import TYPE_CHECKING

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from agent_desktop.app.browser_messages import Focus, Keys, Ping, Resize, read_browser_message
from agent_desktop.app.served_page import PAGE, page_template, security_headers

if TYPE_CHECKING:
    from asyncio.subprocess import Process

log = logging.getLogger("agent-desktop.serve")
LEAVE_S = 10.0  # a desk signing out gives up on the contact center after 5 s
KILL_S = 5.0


class DeskProcess(AppService):
    """One browser session's desk process."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_data(self, payload: bytes) -> None:
        with contextlib.suppress(ConnectionResetError):  # the browser left: the desk's last frames go nowhere
            await self.remote_write_bytes(payload)

    async def on_meta(self, data: bytes) -> None:
        with contextlib.suppress(ConnectionResetError):
            await super().on_meta(data)

    async def stop(self) -> None:
        """Tell the desk to leave (it signs its agent out), then end it if it has not within LEAVE_S."""
        task, self._task = self._task, None
        process = self._process
        if task is None or process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        for wait_s, then in ((LEAVE_S, process.terminate), (KILL_S, process.kill), (KILL_S, None)):
            try:
                await asyncio.wait_for(process.wait(), wait_s)
                break
            except TimeoutError:
                if then is None:
                    break
                log.warning("a desk did not end within %.0f s: sending it %s", wait_s, then.__name__)
                with contextlib.suppress(ProcessLookupError):
                    then()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(task, KILL_S)  # its output read to the end


class DeskServer(Server):
    """textual-serve's server for the desk: see the module's docstring."""

    def __init__(
        self,
        command: str,
        *,
        title: str,
        host: str,
        port: int,
        public_url: str | None,
        origins: frozenset[str],
        max_sessions: int,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.origins = origins
        self.max_sessions = max_sessions
        self.sessions: set[web.WebSocketResponse] = set()
        self.page = page_template()
        self.headers = security_headers(self.page, self.public_url)

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.INFO, handlers=[handler], force=True)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({PAGE: self.page}))
        app.on_response_prepare.append(self._add_headers)
        return app

    async def _add_headers(self, _: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(self.headers)

    async def on_shutdown(self, app: web.Application) -> None:
        """The server stops (ctrl+c): every session ends, so every desk signs its agent out."""
        for websocket in list(self.sessions):
            await websocket.close(code=1001, message=b"agent-desktop serve stopped")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.origins:  # a program (no Origin) is the user's own
            raise web.HTTPForbidden(text="agent-desktop serve: a page of another origin")
        if len(self.sessions) >= self.max_sessions:
            why = f"{len(self.sessions)} desks open, the most --max-sessions allows: close one first"
            log.warning("refused a session: %s", why)
            raise web.HTTPTooManyRequests(text=f"agent-desktop serve: {why}")
        websocket = web.WebSocketResponse(heartbeat=15)
        self.sessions.add(websocket)  # (before any await: the count holds for sessions opened at once)
        try:
            await self._run_session(request, websocket)
        finally:
            self.sessions.discard(websocket)
        return websocket

    async def _run_session(self, request: web.Request, websocket: web.WebSocketResponse) -> None:
        width = min(max(to_int(request.query.get("width", "80"), 80), 1), 1000)
        height = min(max(to_int(request.query.get("height", "24"), 24), 1), 1000)
        await websocket.prepare(request)

        async def close() -> None:  # the desk exited
            await websocket.close()

        desk = DeskProcess(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        try:
            await desk.start(width, height)
            await self._read_session(websocket, desk)
        except asyncio.CancelledError:
            await websocket.close()
            raise
        except Exception as error:  # noqa: BLE001 - one line, no traceback: its frames hold what was typed
            log.error("a session ended on %s", type(error).__name__)
        finally:
            await asyncio.shield(desk.stop())

    async def _read_session(self, websocket: web.WebSocketResponse, desk: AppService) -> None:
        said_malformed = False
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            match read_browser_message(message.data):
                case Keys(text):
                    await desk.send_bytes(text.encode("utf-8", "replace"))
                case Resize(width, height):
                    await desk.set_terminal_size(width, height)
                case Ping(data):
                    await websocket.send_json(["pong", data])
                case Focus(focused):
                    await (desk.focus() if focused else desk.blur())
                case None if not said_malformed:  # said once a session: a program could send thousands
                    said_malformed = True
                    log.warning("a session sent a malformed message: ignored (and any more from it)")
