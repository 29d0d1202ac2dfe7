"""`agent-desktop serve` in a real headless browser: Debian's Chromium driven by Playwright opens
the served page, the desk renders in it, keys typed in the page reach the desk, and a call placed on the mock
contact center is offered there; `serve --demo --supervisor` serves the demo's wallboard.

`BROWSER_SCREENSHOTS=1` (as `make screenshots` sets it) keeps the browser's screenshots in screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import place
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.browser_desk import BrowserDesk, browser_on, served_desk

pytestmark = pytest.mark.heavy  # a desk process per page and a browser: run alone (exclusive)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def websocket_status(url: str, origin: str) -> int:
    """The status of a websocket opening handshake to the served desk from a page of `origin`."""
    headers = {
        "Origin": origin,
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    with httpx.stream("GET", f"{url}ws", headers=headers, timeout=10) as response:
        return response.status_code


def keep(desk: BrowserDesk, name: str, tmp_path: Path) -> None:
    folder = SCREENSHOTS if os.environ.get("BROWSER_SCREENSHOTS") else tmp_path
    desk.screenshot(folder / f"{name}.png")


def test_the_agent_desk_in_a_browser_goes_available_and_is_offered_a_call(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    with served_desk(tmp_path, "--config", str(config)) as url, browser_on(url) as desk:
        desk.wait_for("● Offline")
        desk.wait_for("Alex Morgan")
        desk.press("v")
        desk.wait_for("● Available")
        place(servers, "voice", "+15550100")
        screen = desk.wait_for("● Offered")
        assert "Charged twice" in screen or "+15550100" in screen, screen
        keep(desk, "browser-agent", tmp_path)
        assert DEMO_AGENT_TOKEN not in desk.page.content() + desk.page.url  # the credentials stay on the server
        assert desk.elsewhere == []  # its fonts too come from this server
        assert desk.blocked == []  # its Content-Security-Policy lets it load everything it uses


def test_a_page_of_another_site_cannot_open_the_desk(tmp_path: Path, servers: Servers) -> None:
    """A browser lets any site open a websocket to 127.0.0.1: the served desk answers only its own pages."""
    config = desktop_config(tmp_path, servers)
    with served_desk(tmp_path, "--config", str(config)) as url:
        port = url.rsplit(":", 1)[1].strip("/")
        assert websocket_status(url, origin="http://evil.example") == 403
        assert websocket_status(url, origin=f"http://attacker.example:{port}") == 403  # DNS rebinding's origin
        assert websocket_status(url, origin=f"http://localhost:{port}") == 101


def test_the_demo_serves_the_supervisors_wallboard(tmp_path: Path) -> None:
    """`serve --demo --supervisor`: the mocks with simulated traffic, and the wallboard a wall screen shows."""
    with served_desk(tmp_path, "--demo", "--supervisor") as url, browser_on(url) as desk:
        desk.wait_for("Queues — last 30 minutes")
        desk.wait_for("contact center ●")
        desk.wait_for("Alex Morgan")  # the demo floor's agents, as the demo's own configuration reads them
        page = httpx.get(url, timeout=5).text
        assert "Supervisor wallboard" in page
        assert "token" not in page  # its name on the start page, no secret
        keep(desk, "browser-supervisor", tmp_path)
