"""A real desk process whose wall clock jumps forward two hours and back (libfaketime, Debian's `faketime`
package; the monotonic clock is left alone, as an NTP step or a laptop's sleep leave it): the desk keeps its link
(its streams' clock watch reconnects and resyncs after the jump forward as after a pause, and says so), an offer made
after the jumps is shown and taken, and ctrl+q still ends it at once. The servers run in this process, on the
true clock: only the desk's time jumps. (The outbox's retries through a jump: tests/unit/outbox/test_outbox_clock_jumps.py.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.conftest import Servers
from tests.e2e.backends.test_link_loss import start
from tests.e2e.terminal.test_quit_on_signal import AGENT, _agent_state, desktop_config
from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment
from tests.support.pty_program import PtyProgram

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


def _offers(ccaas_url: str) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = httpx.get(f"{ccaas_url}/v1/agents/agent-001/offers", headers=AGENT, timeout=5).json()
    return answer


def _until(condition: Callable[[], object], what: str, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.1)


@pytest.mark.skipif(not LIBFAKETIME.exists(), reason="libfaketime not installed (scripts/ensure-system-packages.sh)")
def test_a_desk_whose_clock_jumps_forward_and_back_keeps_working(tmp_path: Path, mock_settings: MockSettings) -> None:
    settings = mock_settings.model_copy(update={"heartbeat_s": 0.3})  # the stream hears the jump at once
    running = start(settings)
    try:
        ccaas_url, crm_url, presence_url = running.urls
        _jumps(tmp_path, Servers(ccaas_url, crm_url, presence_url, settings=settings))
    finally:
        running.stop()


def _jumps(tmp_path: Path, servers: Servers) -> None:
    # FAKETIME_FORCE_MONOTONIC_FIX="0": the "monotonic fix" libfaketime turns on by itself for this glibc times
    # pthread_cond_timedwait out too early or too late (its README says so); Python's GIL waits on one, and with
    # it on a loaded machine the desk took 1 to 33 s to draw its first screen instead of under one.
    offset = tmp_path / "faketime"
    offset.write_text("+0s\n")
    env = desktop_environment(
        tmp_path,
        TERM="xterm-256color",
        LD_PRELOAD=str(LIBFAKETIME),
        FAKETIME_TIMESTAMP_FILE=str(offset),
        FAKETIME_CACHE_DURATION="1",
        FAKETIME_DONT_FAKE_MONOTONIC="1",
        FAKETIME_FORCE_MONOTONIC_FIX="0",
    )
    desktop = PtyProgram([AGENT_DESKTOP, "run", "--config", str(desktop_config(tmp_path, servers))], env)
    try:
        desktop.wait_for(b"Offline", 30)
        desktop.type("v")
        _until(lambda: _agent_state(servers.ccaas_url) == "available", "Available")
        # Forward: the streams' clock watch sees the wall clock move against the monotonic one (the state's change
        # may have come before the event link was up, so the link may hand its loop no heartbeat: it need not).
        offset.write_text("+2h\n")
        _until(
            lambda: b"paused" in bytes(desktop.output),
            "the stream's heartbeat two hours on: the pause, said in a notice",
        )
        offset.write_text("+0s\n")  # and back (libfaketime reads the file again each second)
        time.sleep(1.2)
        shown = len(desktop.output)
        httpx.post(
            f"{servers.ccaas_url}/v1/contacts",
            headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
            json={
                "queue_id": "billing",
                "channel": "voice",
                "from_address": "+12125550042",
                "subject": "After the jumps",
            },
            timeout=5,
        ).raise_for_status()
        _until(lambda: _offers(servers.ccaas_url), "the offer on the contact center")
        _until(lambda: b"After the jumps" in bytes(desktop.output[shown:]), "the offer on the desk")
        desktop.type("a")
        _until(lambda: _agent_state(servers.ccaas_url) == "busy", "the call taken")
        assert desktop.process.poll() is None, "the desk is running"
        desktop.type("e")
        _until(lambda: _agent_state(servers.ccaas_url) == "after_contact_work", "the call ended")
    finally:
        desktop.close()
        # libfaketime makes a shared-memory segment and a semaphore per process, named by its pid, and frees them
        # as the process exits normally: the desk is killed, so they would stay in /dev/shm for good.
        for name in (f"faketime_shm_{desktop.process.pid}", f"sem.faketime_sem_{desktop.process.pid}"):
            Path("/dev/shm", name).unlink(missing_ok=True)
