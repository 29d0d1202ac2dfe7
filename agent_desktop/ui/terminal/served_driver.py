"""The desk in a browser (`agent-desktop serve`): Textual's web driver, made to leave as a terminal desk leaves when
its terminal goes away, so a closed tab never leaves its agent routable with no desk.

What Textual 8.2.8's `WebDriver` does, and what this one changes:
- the server's `quit` (sent when the browser's session ends: a closed tab, a lost connection, the server stopping)
  and SIGINT/SIGTERM post `ExitApp`, which ends the app where it stands, the agent left Available. Here they tell
  the app (`TerminalGone`), which rejects a pending offer, signs the agent out and exits (app.py);
- its input (the server's pipe) ending, the server killed, stopped its input thread in silence and the desk ran on
  for nobody. Here that tells the app too;
- a write to the server's pipe that fails (the server gone) raised in the event loop and crashed the desk before it
  could sign out. Here writes after the first failure are dropped, and the app is told.
"""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

from textual.app import App
from textual.drivers.web_driver import WebDriver

from agent_desktop.ui.messages import TerminalGone
from agent_desktop.ui.textual_compat import driver_app, set_driver_write

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve names in TEXTUAL_DRIVER


class ServedDeskDriver(WebDriver):
    """A `WebDriver` whose session's end signs the agent out (`TerminalGone`) instead of exiting in place."""

    def __init__(
        self, app: App[Any], *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._told = False
        self._output_lost = False
        set_driver_write(self, self._write_to_server)

    def _write_to_server(self, data: bytes) -> None:
        if self._output_lost:
            return
        try:
            os.write(self.fileno, data)
        except OSError:  # EPIPE: the server is gone
            self._output_lost = True
            self._session_gone("a write to the server failed")

    def _session_gone(self, why: str) -> None:
        if not self._told:
            self._told = True
            driver_app(self).post_message(TerminalGone(why))  # thread-safe

    def start_application_mode(self) -> None:
        super().start_application_mode()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # (the app takes SIGTERM and SIGHUP once mounted)
            loop.add_signal_handler(signum, self._session_gone, f"signal {signum.name}")

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":  # the browser's session ended
            self._session_gone("the browser session ended")
            return
        super().on_meta(packet_type, payload)

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # not stopped by the app: the server's pipe ended
            self._session_gone("the server's input ended")
