"""Terminal conventions end to end on the real mock servers in a real terminal (tmux): Y copies the
caller's phone as OSC 52, which the pane's raw output holds and tmux (`set-clipboard on`) takes into its paste
buffer, as it would hand it to the terminal around it; with NO_COLOR set the desk writes no colour escape, and
with --no-mouse it leaves the mouse to the terminal."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import available, place
from tests.e2e.terminal.test_notify_and_auto_accept_in_tmux import piped, wait_bytes
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.colour_escapes import colour_escapes
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux
PHONE = "+14155550123"
MOUSE_ON = b"\x1b[?1000h"  # what Textual's driver writes to take the mouse


def test_y_copies_the_callers_phone_through_tmux_as_osc_52(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    output = tmp_path / "pane.out"
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        term._tmux("set-option", "-s", "set-clipboard", "on")
        piped(term, output)
        available(term)
        place(servers, "voice", PHONE)
        term.wait_for("s left")
        term.send("a")
        term.wait_for("Connected")
        term.send("Y")
        term.wait_for("Copy to the clipboard")
        text = term.text()
        assert f"Phone: {PHONE}" in text, text
        before = sum(f"{label}: " in text for label in ("Customer id", "Account number", "Case number"))
        term.send(*["Down"] * before, "Enter")  # the options in their order: the customer's id, account, case, phone
        osc52 = b"\x1b]52;c;" + base64.b64encode(PHONE.encode()) + b"\x07"
        wait_bytes(output, osc52)
        term.wait_for("Copied to the clipboard")
        assert term._tmux("show-buffer").stdout == PHONE  # tmux took it, as it hands it to the outer terminal
        assert MOUSE_ON in output.read_bytes()  # the mouse is the desk's by default
    assert "Traceback" not in term.text()


def test_no_color_writes_no_colour_escape_and_no_mouse_leaves_the_mouse(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    output = tmp_path / "pane.out"
    env = desktop_environment(tmp_path, NO_COLOR="1")
    with TmuxTerminal([AGENT_DESKTOP, "run", "--no-mouse", "--config", str(config)], env=env) as term:
        piped(term, output)
        available(term)
        place(servers, "voice", PHONE)
        term.wait_for("s left")
        term.send("a")
        term.wait_for("Connected")
        raw = output.read_bytes().decode(errors="replace")
    assert "\x1b[" in raw
    assert "Connected" in raw
    assert colour_escapes(raw) == []
    assert MOUSE_ON.decode() not in raw  # --no-mouse: the terminal keeps its own selection and paste
