"""SIGTERM and SIGHUP: the real `agent-desktop` in a pseudo-terminal sets the agent Offline and gives the
terminal back (alternate screen left, mouse reporting off, cursor shown), read from its raw output."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
from tests.conftest import Servers
from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment
from tests.support.pty_program import PtyProgram
from tests.support.scenes.scenes import SceneServers

AGENT = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}


def _agent_state(ccaas_url: str) -> str:
    answer: str = httpx.get(f"{ccaas_url}/v1/agents/agent-001", headers=AGENT, timeout=5).json()["state"]
    return answer


def _last(output: bytes, on: bytes, off: bytes) -> bytes | None:
    """Which of two sequences the program wrote last (None if neither)."""
    at_on, at_off = output.rfind(on), output.rfind(off)
    if at_on == at_off == -1:
        return None
    return on if at_on > at_off else off


def desktop_config(tmp_path: Path, servers: Servers | SceneServers) -> Path:
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
def test_a_signal_sets_the_agent_offline_and_restores_the_terminal(
    tmp_path: Path, servers: Servers, signum: signal.Signals
) -> None:
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


def test_a_terminal_that_went_away_signs_the_agent_out_without_a_hang_up(tmp_path: Path, servers: Servers) -> None:
    """The window closed, tmux killed, ssh dropped: the pty is gone, reads end and writes fail. No SIGHUP comes
    (the desktop leads its own session here, without the pty as its controlling terminal, as under `make demo`
    where make gets the hang-up): the desk notices from the terminal itself, signs the agent out and exits.
    Before, Textual's input thread read the end of input in a loop (~90 % of a core) and the desk ran on until
    someone sent SIGHUP; earlier still, a writer blocked on the 31st failed write hung it for good."""
    config = desktop_config(tmp_path, servers)
    desktop = PtyProgram(
        [AGENT_DESKTOP, "run", "--config", str(config)], desktop_environment(tmp_path, TERM="xterm-256color")
    )
    try:
        desktop.wait_for(b"Offline")
        desktop.type("v")
        deadline = time.monotonic() + 15
        while _agent_state(servers.ccaas_url) != "available":
            assert time.monotonic() < deadline, "the agent never became Available"
            time.sleep(0.1)
        os.close(desktop.master)  # the terminal is gone: reads end, writes fail from now on
        desktop.master = os.open("/dev/null", os.O_RDONLY)  # (for close())
        code = desktop.process.wait(timeout=10)  # no signal sent
    finally:
        desktop.close()
    assert code == 0
    assert _agent_state(servers.ccaas_url) == "offline"
