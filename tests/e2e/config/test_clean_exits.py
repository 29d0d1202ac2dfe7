"""The servers a presenter starts by hand end quietly. ctrl+c on `agent-desktop mocks` (in a
terminal: the foreground process group gets SIGINT) stops the servers and exits 0 with no traceback;
`agent-desktop-twilio-relay` ends with exit 0 on SIGTERM (a service manager's stop), not killed by it (-15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from agent_desktop.app.demo import free_port, wait_healthy
from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment
from tests.support.pty_program import PtyProgram
from tests.support.relay_cluster import ROOT

RELAY = str(Path(sys.executable).with_name("agent-desktop-twilio-relay"))


def test_ctrl_c_on_the_mock_servers_ends_them_quietly_with_exit_0(tmp_path: Path) -> None:
    ports = [str(free_port()) for _ in range(3)]
    command = [
        AGENT_DESKTOP,
        "mocks",
        "--ccaas-port",
        ports[0],
        "--crm-port",
        ports[1],
        "--presence-port",
        ports[2],
        "--data-dir",
        str(tmp_path / "data"),
        "--fresh",
        "--no-simulator",
    ]
    mocks = PtyProgram(command, desktop_environment(tmp_path, TERM="xterm-256color"))
    try:
        mocks.wait_for(b"mock servers on", 60)
        wait_healthy([f"http://127.0.0.1:{port}" for port in ports], mocks.process, timeout_s=60, what="the mocks")
        os.killpg(mocks.process.pid, signal.SIGINT)  # what ctrl+c does: SIGINT to the foreground process group
        code = mocks.process.wait(timeout=30)
        output = bytes(mocks.output).decode(errors="replace")
        assert "Traceback" not in output, output[-2000:]
        assert "KeyboardInterrupt" not in output, output[-2000:]
        assert code == 0, (code, output[-2000:])
    finally:
        mocks.close()


def test_the_twilio_relay_exits_0_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = desktop_environment(tmp_path, TWILIO_AUTH_TOKEN="x" * 32, RELAY_SECRET="s" * 40)
    env.pop("RELAY_REDIS_URL", None)
    log = tmp_path / "relay.log"
    with log.open("wb") as out:
        relay = subprocess.Popen(
            [RELAY, "--port", str(port), "--store", str(tmp_path / "relay.sqlite3")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        wait_healthy([f"http://127.0.0.1:{port}"], relay, timeout_s=60, what=f"the relay ({log})")
        relay.send_signal(signal.SIGTERM)
        assert relay.wait(timeout=30) == 0, log.read_text()[-2000:]
    finally:
        if relay.poll() is None:
            relay.kill()
            relay.wait()
