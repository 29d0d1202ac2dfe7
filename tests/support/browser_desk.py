"""A desk in a real browser: `agent-desktop serve` in a process of its own on a free loopback port, and Debian's
Chromium (driven by Playwright, `executable_path`: no browser download) on its page.

textual-serve draws the desk with xterm.js on a canvas, which holds no text. xterm.js keeps an accessibility tree
of the rows it shows (`.xterm-accessibility-tree`) when its screen-reader mode is on, so the page's script is
served to this browser with that option's default turned on: what the tree says is what xterm.js drew. Nothing
leaves the machine: every request to another host is refused (and noted: the page asks for none).
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.app.demo import free_port
from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment

CHROMIUM = Path("/usr/bin/chromium")
# What the page's script (textual-serve 1.1's bundle of xterm.js) is served with here: screen-reader mode on, and the
# accessibility tree's rows redrawn at once rather than at most once a second (its debouncer's default), so the
# tree says what the canvas shows when it shows it.
SCRIPT_CHANGES = (
    ("screenReaderMode:!1,smoothScrollDuration", "screenReaderMode:!0,smoothScrollDuration"),
    ("t.TimeBasedDebouncer=class{constructor(e,t=1e3)", "t.TimeBasedDebouncer=class{constructor(e,t=0)"),
)
VIEWPORT = {"width": 1500, "height": 900}


@dataclass
class Served:
    """A running `agent-desktop serve`: where it answers, its process, and what it printed so far."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def console(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def served_desk(tmp_path: Path, *args: str) -> Iterator[str]:
    """`agent-desktop serve ARGS` on a free loopback port; its URL once it answers (stopped with ctrl+c after)."""
    with serving_desks(tmp_path, *args) as served:
        yield served.url


@contextmanager
def serving_desks(tmp_path: Path, *args: str) -> Iterator[Served]:
    """`agent-desktop serve ARGS` on a free loopback port, once it answers; stopped with ctrl+c after (unless a test
    ended it), which must end it with code 0."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [AGENT_DESKTOP, "serve", *args, "--port", str(port)],
        env=desktop_environment(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError(f"agent-desktop serve ended ({process.returncode}): {_tail(tmp_path)}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"agent-desktop serve never answered on {url}: {_tail(tmp_path)}")
            time.sleep(0.1)
        yield Served(url, process, tmp_path / "serve.log")
    finally:
        ended_by_the_test = process.poll() is not None
        if not ended_by_the_test:
            process.send_signal(signal.SIGINT)  # ctrl+c: textual-serve closes each session, whose desk quits
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
            raise AssertionError(f"agent-desktop serve did not end on ctrl+c: {_tail(tmp_path)}") from None
        finally:
            log.close()
        assert ended_by_the_test or code == 0, f"agent-desktop serve ended with {code}: {_tail(tmp_path)}"


def _tail(tmp_path: Path) -> str:
    return (tmp_path / "serve.log").read_text(errors="replace")[-1500:]


@dataclass
class BrowserDesk:
    """The page of a served desk: its terminal's text, keys typed into it, a screenshot of the browser, and what the
    page asked of other hosts (refused) or its Content-Security-Policy blocked."""

    page: Any
    elsewhere: list[str]
    blocked: list[str]

    def text(self) -> str:
        text: str = self.page.locator(".xterm-accessibility-tree").inner_text(timeout=5_000)
        return text

    def wait_for(self, needle: str, timeout_s: float = 30.0, interval_s: float = 0.05) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            screen = self.text()
            if needle in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never shown in the browser; it shows:\n{screen}")
            time.sleep(interval_s)

    def press(self, key: str) -> None:
        """`key` typed into the terminal, as a user does once the page has focus (xterm.js's input is its textarea)."""
        self.page.locator(".xterm-helper-textarea").focus()
        self.page.keyboard.press(key)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path), timeout=10_000)


def _serve_script(route: Any) -> None:
    script = route.fetch(timeout=10_000).text()
    for old, new in SCRIPT_CHANGES:
        assert script.count(old) == 1, f"textual-serve's script changed: update SCRIPT_CHANGES ({old!r})"
        script = script.replace(old, new)
    route.fulfill(body=script, content_type="application/javascript")


def _route(route: Any, elsewhere: list[str]) -> None:
    url = route.request.url
    if not url.startswith("http://127.0.0.1:"):
        elsewhere.append(url)
        route.abort()
    elif url.endswith("/static/js/textual.js"):
        _serve_script(route)
    else:
        route.continue_()


@contextmanager
def browser_on(url: str) -> Iterator[BrowserDesk]:
    """Headless Chromium on `url`, every wait bounded."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: scripts/ensure-system-packages.sh installs Debian's chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], timeout=30_000)
        try:
            page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.set_default_timeout(10_000)
            elsewhere: list[str] = []
            blocked: list[str] = []
            page.route("**/*", lambda route: _route(route, elsewhere))
            page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(url, timeout=15_000)
            yield BrowserDesk(page, elsewhere, blocked)
        finally:
            browser.close()
