"""A desk paused and run again: SIGSTOP then SIGCONT of the real `agent-desktop` (no second terminal thread after
it, and ctrl+q ends it in seconds) and of the demo's servers (quitting is bounded while they are stopped). The
stream's side of a pause is tests/e2e/backends/test_stream_pause.py. The real demo runs in a pseudo-terminal (exclusive)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from tests.support.desktop_command import AGENT_DESKTOP, desktop_environment
from tests.support.pty_program import PtyProgram


def _threads(pid: int) -> int:
    """How many threads `pid` runs (Python does not name them for the OS, so they are counted)."""
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _demo(tmp_path: Path) -> PtyProgram:
    env = desktop_environment(tmp_path, TERM="xterm-256color")
    desk = PtyProgram([AGENT_DESKTOP, "demo", "--agents", "2", "--data-dir", str(tmp_path / "demo")], env)
    desk.wait_for(b"Offline", 60)
    time.sleep(0.5)  # its first frames drawn
    return desk


def test_a_desk_stopped_and_continued_then_quit_while_its_servers_are_stopped(tmp_path: Path) -> None:
    """One demo, two faults in a row (a demo's start is the costly part of each).
    First the desk stopped and continued three times: before, Textual started application mode again on each
    SIGCONT, a second input thread beside the first, and quitting then hung about one time in four.
    Then the demo's servers stopped (SIGSTOP): ctrl+q still ends the desk, its waits bounded (leaving routing
    gives up after 5 s and says so; the stopped servers are continued to shut down), and no server is left behind."""
    desk = _demo(tmp_path)
    servers = _children(desk.process.pid)
    try:
        assert servers, "the demo's servers are the desk's children"
        before = _threads(desk.process.pid)
        for _ in range(3):
            os.kill(desk.process.pid, signal.SIGSTOP)
            time.sleep(0.3)
            os.kill(desk.process.pid, signal.SIGCONT)
            time.sleep(0.3)
        # Before: two more threads per SIGCONT (an input thread and a writer), six here; a worker thread may come.
        assert _threads(desk.process.pid) - before < 3, (before, _threads(desk.process.pid))
        for pid in servers:
            os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        desk.type("\x11")  # ctrl+q
        code = desk.process.wait(timeout=40)
        assert time.monotonic() - started < 15
        assert code in (0, 1)  # 1: it says it could not set the agent Offline
        time.sleep(0.5)
        assert not [
            pid
            for pid in servers
            if Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
        ]
    finally:
        for pid in servers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        desk.close()
