"""SIGTERM and SIGHUP: the real `agent-desktop` in a pseudo-terminal sets the agent Offline and gives the
terminal back (alternate screen left, mouse reporting off, cursor shown), read from its raw output."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import termios
import threading
import time

import httpx
import pytest

from mock_backends.common.settings import DEMO_AGENT_TOKEN
from tests.desktop_command import AGENT_DESKTOP, desktop_environment

AGENT = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}


class PtyProgram:
    """A program on a 120x40 pseudo-terminal; `output` is every byte it wrote."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_for(self, what: bytes, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while what not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{what!r} never shown; output ends {bytes(self.output[-600:])!r}")
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        os.close(self.master)


def _agent_state(ccaas_url: str) -> str:
    return httpx.get(f"{ccaas_url}/v1/agents/agent-001", headers=AGENT, timeout=5).json()["state"]


def _last(output: bytes, on: bytes, off: bytes) -> bytes | None:
    """Which of two sequences the program wrote last (None if neither)."""
    at_on, at_off = output.rfind(on), output.rfind(off)
    if at_on == at_off == -1:
        return None
    return on if at_on > at_off else off


def desktop_config(tmp_path, servers):
    """A config file for the agent desktop against the three servers, as agent-001."""
    config = tmp_path / "desktop.toml"
    config.write_text(
        f'outbox_path = "{tmp_path / "outbox.db"}"\n'
        f'[ccaas]\nbase_url = "{servers.ccaas_url}"\ntoken = "{DEMO_AGENT_TOKEN}"\n'
        f'[crm]\nbase_url = "{servers.crm_url}"\ntoken = "demo-crm-token"\n'
        f'[presence]\nbase_url = "{servers.presence_url}"\ntoken = "demo-presence-token"\n'
    )
    return config


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_sets_the_agent_offline_and_restores_the_terminal(tmp_path, servers, signum):
    config = desktop_config(tmp_path, servers)
    env = desktop_environment(tmp_path, TERM="xterm-256color")
    desktop = PtyProgram([AGENT_DESKTOP, "run", "--config", str(config)], env)
    try:
        desktop.wait_for(b"Offline")
        desktop.type("v")  # the agent goes Available, by keyboard
        deadline = time.monotonic() + 15
        while _agent_state(servers.ccaas_url) != "available":
            assert time.monotonic() < deadline, "the agent never became Available"
            time.sleep(0.1)
        assert _last(bytes(desktop.output), b"\x1b[?1049h", b"\x1b[?1049l") == b"\x1b[?1049h"

        desktop.process.send_signal(signum)
        code = desktop.process.wait(timeout=20)
        time.sleep(0.2)  # the last bytes through the pty
    finally:
        desktop.close()

    assert code >= 0, f"killed by signal {-code}: nothing was restored"
    assert _agent_state(servers.ccaas_url) == "offline"
    output = bytes(desktop.output)
    assert _last(output, b"\x1b[?1049h", b"\x1b[?1049l") == b"\x1b[?1049l", "still in the alternate screen"
    assert _last(output, b"\x1b[?25l", b"\x1b[?25h") == b"\x1b[?25h", "the cursor left hidden"
    for mode in (b"1000", b"1003", b"1006"):  # mouse clicks, motion, SGR encoding
        assert _last(output, b"\x1b[?" + mode + b"h", b"\x1b[?" + mode + b"l") in (None, b"\x1b[?" + mode + b"l"), mode


def test_a_terminal_that_went_away_still_lets_the_hang_up_sign_the_agent_out(tmp_path, servers):
    """The window closed, tmux killed, ssh dropped: the pty is gone and every write fails. Textual's writer
    thread died on the first failed write and the 31st queued write blocked the event loop for good, so the
    SIGHUP was never handled: the agent stayed routable and the process ran on (found after a `tmux
    kill-session`, with the demo's mock servers still running an hour later)."""
    config = desktop_config(tmp_path, servers)
    # The clock in the status line is redrawn every 10 ms (each redraw a write), at up to 200 frames a second.
    config.write_text("status_clock_s = 0.01\n" + config.read_text())
    env = desktop_environment(tmp_path, TERM="xterm-256color", TEXTUAL_FPS="200")
    desktop = PtyProgram([AGENT_DESKTOP, "run", "--config", str(config)], env)
    desk_log = tmp_path / "desk.log"  # beside the outbox
    try:
        desktop.wait_for(b"Offline")
        desktop.type("v")
        deadline = time.monotonic() + 15
        while _agent_state(servers.ccaas_url) != "available":
            assert time.monotonic() < deadline, "the agent never became Available"
            time.sleep(0.1)
        os.close(desktop.master)  # the terminal is gone: writes to it fail from now on
        desktop.master = os.open("/dev/null", os.O_RDONLY)  # (for close())
        deadline = time.monotonic() + 20
        while "terminal gone" not in (desk_log.read_text() if desk_log.exists() else ""):  # over 30 failed writes
            assert time.monotonic() < deadline, "the desktop never dropped more writes than Textual's queue holds"
            assert desktop.process.poll() is None, "the desktop ended when its terminal went away"
            time.sleep(0.05)
        assert desktop.process.poll() is None
        desktop.process.send_signal(signal.SIGHUP)
        code = desktop.process.wait(timeout=20)
    finally:
        desktop.close()
    assert code >= 0
    assert _agent_state(servers.ccaas_url) == "offline"
