"""End to end on the real mock servers in a real terminal (tmux): an offer that comes while the
terminal is not in front raises the configured desktop notification, written through tmux's passthrough (the pane's
raw output, `pipe-pane`, holds it), and none while it is in front; an offer of a channel its queue auto-accepts
counts down on the card and is connected by itself, and space stops the next one.

The terminal's focus report is sent to the pane as a terminal sends it (`ESC [ O`, `ESC [ I`: the desk turned focus
reporting on): tmux sends it itself only to a pane with an attached client, which a detached test session has not.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import available, place
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
PASSTHROUGH = b"\x1bPtmux;\x1b\x1b]9;Offer: "


def focus(term: TmuxTerminal, inside: bool) -> None:
    term._tmux("send-keys", "-t", term.session, "-H", "1b", "5b", "49" if inside else "4f")


def piped(term: TmuxTerminal, path: Path) -> None:
    """Everything the desk writes to its pane, escape sequences and all, appended to `path`."""
    term._tmux("pipe-pane", "-O", "-t", term.session, f"cat >> {path}")


def wait_bytes(path: Path, needle: bytes, timeout_s: float = 10.0) -> bytes:
    deadline = time.monotonic() + timeout_s
    while True:
        data = path.read_bytes() if path.exists() else b""
        if needle in data:
            return data
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} never written; the pane's output ended with {data[-400:]!r}")
        time.sleep(0.05)


def reject_and_go_available(term: TmuxTerminal) -> None:
    term.send("r")
    term.wait_for("Missed")  # rejected: no more offers until Available
    term.send("v")
    term.wait_for("● Available")


def test_an_offer_behind_the_terminal_is_a_notification_through_tmux(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    config.write_text(config.read_text() + '[notifications]\nstyle = "osc9"\n')
    output = tmp_path / "pane.out"
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        piped(term, output)
        available(term)
        place(servers, "voice", "+14155550100")
        term.wait_for("s left")
        time.sleep(0.5)
        assert PASSTHROUGH not in output.read_bytes(), "in front: no notification"
        reject_and_go_available(term)

        focus(term, inside=False)
        time.sleep(0.3)
        place(servers, "voice", "+14155550101")
        data = wait_bytes(output, PASSTHROUGH)
        notice = data[data.index(PASSTHROUGH) :]
        assert notice.startswith(
            b"\x1bPtmux;\x1b\x1b]9;Offer: voice \xc2\xb7 Billing: (415) 555-0101 \xc2\xb7 Charged twice\x07\x1b\\"
        )
        term.wait_for("s left")
    assert "Traceback" not in term.text()


def set_auto_accept(servers: Servers, after_s: int | None) -> None:
    body = {"auto_accept": {"voice": None if after_s is None else {"after_s": after_s}}}
    httpx.patch(f"{servers.ccaas_url}/v1/queues/billing", json=body, headers=SUPERVISOR, timeout=5).raise_for_status()


def test_an_auto_accepted_offer_counts_down_and_space_stops_the_next(tmp_path: Path, servers: Servers) -> None:
    set_auto_accept(servers, 3)  # the contact center's policy, read as the desk starts
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        available(term)
        place(servers, "voice", "+14155550102")
        term.wait_for("Accepts in")
        term.wait_for("Stop auto-accept")  # the footer's key, drawn with the card or just after
        term.wait_for("Connected", timeout_s=10)  # accepted by itself, no key pressed
        term.send("e")
        term.wait_for("After-contact work")
        term.send("w", "Enter", "Down", "Enter", "C-s")  # a disposition, saved: Available again
        term.wait_for("● Available", timeout_s=10)

        place(servers, "voice", "+14155550103")
        term.wait_for("Accepts in")
        term.send("Space")
        time.sleep(4.5)  # past the countdown
        screen = term.text()
        assert "s left" in screen, screen
        assert "Accepts in" not in screen, screen
        assert "Connected" not in screen, screen
    assert "Traceback" not in term.text()
