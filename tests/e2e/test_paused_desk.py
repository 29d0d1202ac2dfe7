"""A desk paused and run again: SIGSTOP then SIGCONT of the real `agent-desktop` (one input thread after it, and
ctrl+q ends it in seconds), of the demo's servers (quitting is bounded while they are stopped), and a pause the
event stream notices by its clocks (reconnect and resync, so the desk shows what the contact center has).

The process tests run the real demo in a pseudo-terminal (exclusive: they load the machine)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from desktop.backends.link_status import LinkStatus
from desktop.backends.stream import resilient_stream
from mock_backends.ccaas.app import create_app
from mock_backends.common.runner import serve_in_thread
from mock_backends.common.settings import DEMO_AGENT_TOKEN
from tests.conftest import small_settings
from tests.e2e.test_quit_on_signal import PtyProgram
from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment


def _threads(pid: int) -> int:
    """How many threads `pid` runs (Python does not name them for the OS, so they are counted)."""
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            pass
    return found


def _demo(tmp_path: Path) -> PtyProgram:
    env = desktop_environment(tmp_path, TERM="xterm-256color")
    desk = PtyProgram([AGENT_DESKTOP, "demo", "--agents", "2", "--data-dir", str(tmp_path / "demo")], env)
    desk.wait_for(b"Offline", 60)
    time.sleep(0.5)  # its first frames drawn
    return desk


def test_a_desk_stopped_and_continued_starts_no_second_terminal_and_quits(tmp_path):
    """Before: Textual started application mode again on the SIGCONT, a second input thread beside the first, and
    quitting then hung about one time in four (the older thread never saw its exit event)."""
    desk = _demo(tmp_path)
    try:
        before = _threads(desk.process.pid)
        for _ in range(3):
            os.kill(desk.process.pid, signal.SIGSTOP)
            time.sleep(0.3)
            os.kill(desk.process.pid, signal.SIGCONT)
            time.sleep(0.3)
        # Before: two more threads per SIGCONT (an input thread and a writer), six here; a worker thread may come.
        assert _threads(desk.process.pid) - before < 3, (before, _threads(desk.process.pid))
        desk.type("\x11")  # ctrl+q
        assert desk.process.wait(timeout=20) == 0
    finally:
        desk.close()


def test_quitting_while_the_servers_are_stopped_ends_in_bounded_time(tmp_path):
    """The demo's servers stopped (SIGSTOP): ctrl+q still ends the desk, its waits bounded (leaving routing gives up
    after 5 s and says so; the stopped servers are killed after 5 s), and no server is left behind."""
    desk = _demo(tmp_path)
    servers = _children(desk.process.pid)
    try:
        assert servers, "the demo's servers are the desk's children"
        for pid in servers:
            os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        desk.type("\x11")
        code = desk.process.wait(timeout=40)
        assert time.monotonic() - started < 30
        assert code in (0, 1)  # 1: it says it could not set the agent Offline
        time.sleep(0.5)
        assert not [pid for pid in servers if Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
    finally:
        for pid in servers:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        desk.close()


async def test_a_pause_longer_than_the_heartbeat_timeout_reconnects_and_resyncs(tmp_path):
    """The stream's clocks jump by a minute between two heartbeats (what a stopped desk or a sleeping laptop sees
    when it runs again): the link counts as lost, reconnects and resyncs, instead of reading on as if nothing
    happened. Before, the stream read on and `resync` never ran again."""
    settings = small_settings(tmp_path / "mocks").model_copy(update={"heartbeat_s": 0.2})
    running = serve_in_thread([create_app(settings)])
    jumped = {"mono": 0.0, "wall": 0.0}
    resyncs: list[float] = []

    async def resync() -> list:
        resyncs.append(time.monotonic())
        return []

    try:
        async with httpx.AsyncClient(base_url=running.urls[0], headers={"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}) as client:
            stream = resilient_stream(
                client, "/v1/agents/agent-001/events", backend="contact center", parse=lambda event: None,
                resync=resync, heartbeat_timeout_s=5.0,
                monotonic=lambda: time.monotonic() + jumped["mono"], wall=lambda: time.time() + jumped["wall"],
            )  # fmt: skip
            statuses: list[LinkStatus] = []

            async def follow() -> None:
                async for item in stream:
                    if isinstance(item, LinkStatus):
                        statuses.append(item)

            following = asyncio.create_task(follow())

            async def until(condition, what: str) -> None:
                deadline = time.monotonic() + 5
                while not condition():
                    assert time.monotonic() < deadline, f"{what}: {statuses}"
                    await asyncio.sleep(0.05)

            try:
                await until(lambda: len(resyncs) == 1, "connected and resynced")
                for count, clock in enumerate(("mono", "wall"), start=2):  # a stopped process, then a sleeping machine
                    # An event with an id on this connection: from then on each heartbeat reaches the stream's loop
                    # (httpx-sse dispatches the blank line after it as an empty message once an id was seen).
                    state = "not_ready" if clock == "mono" else "available"
                    answer = await client.put("/v1/agents/agent-001/state", json={"state": state, "reason": "Break"})
                    answer.raise_for_status()
                    await asyncio.sleep(0.5)
                    jumped[clock] += 60.0
                    await until(lambda: len(resyncs) == count, f"resynced after the {clock} clock jumped")
                    lost = [s for s in statuses if not s.connected]
                    assert len(lost) == count - 1 and "paused 60 s" in lost[-1].detail, statuses
            finally:
                following.cancel()
                await asyncio.gather(following, return_exceptions=True)
        assert len(resyncs) == 3  # the first connection, then once after each pause
    finally:
        running.stop()


pytestmark = [pytest.mark.exclusive]
