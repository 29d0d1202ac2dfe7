"""Request Tracker 5 on loopback for the contract and e2e tiers: the product's owner of RT processes
(agent_desktop_mocks/request_tracker.py: the seeded template, `running_rt`) with the tests' additions: the Debian
packages installed when missing, and one RT shared by the scenarios of a test process.

Starting RT costs 6-23 s of Perl loading under load, so the scenarios share one RT per test process (`fresh_rt`):
before each one its database is put back to the template's, page by page through SQLite's backup API, and Starlet's
workers are replaced (SIGHUP: Parallel::Prefork sends them TERM and forks new ones from the parent, which loaded RT
and closed its database handle before forking: rt-server). RT already empties a worker's record cache after each
request (RT::Interface::Web::Handler's CleanupRequest, `WebFlushDbCacheEveryRequest` on by default), as it must with
other processes writing the same database; new workers make that no assumption of ours: every scenario meets the
seeded RT a restart gives it, in about a second instead of a start.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agent_desktop_mocks import request_tracker as rt
from agent_desktop_mocks.request_tracker import READY_S, WORKERS, RtServer, RtTemplate, running_rt

__all__ = ["RtServer", "RtTemplate", "ensure_installed", "fresh_rt", "running_rt", "stop_shared_rt", "template"]

ROOT = Path(__file__).resolve().parents[2]
INSTALL_S = 900.0  # the Debian packages: ~1 min here with a warm mirror, many minutes on a slow one


def ensure_installed() -> str:
    """RT's version, installing the Debian packages with the project's script first when they are missing."""
    version = rt.installed_version()
    if version is None:
        subprocess.run([str(ROOT / "scripts/ensure-system-packages.sh")], check=True, timeout=INSTALL_S)
        version = rt.installed_version()
    if version is None:
        raise RuntimeError("Request Tracker 5 is not installed: scripts/ensure-system-packages.sh did not install it")
    return version


def template() -> RtTemplate:
    """The tests' seeded template (seed 7, 60 customers), RT installed first where it is not."""
    return rt.template(ensure_installed())


def _workers(process: subprocess.Popen[bytes]) -> set[int]:
    """Starlet's workers: the server's children (Linux's /proc children list)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        return {int(pid) for pid in children.read_text().split()}
    except FileNotFoundError:
        return set()


def _reset(server: RtServer, seeded: RtTemplate, timeout_s: float = READY_S) -> None:
    """The server's database put back to the template's and its workers replaced by fresh ones (bounded)."""
    process = server.process
    assert process is not None
    before = _workers(process)
    with (
        contextlib.closing(sqlite3.connect(seeded.database)) as source,
        contextlib.closing(sqlite3.connect(server.database, timeout=30)) as target,
    ):
        source.backup(target)
    process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + timeout_s
    while True:
        now = _workers(process)
        if len(now) == WORKERS and not now & before:
            break
        if process.poll() is not None:
            raise RuntimeError(f"rt-server exited with {process.returncode} on SIGHUP:\n{server.log()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"rt-server's workers {sorted(now)} not replaced within {timeout_s} s:\n{server.log()}")
        time.sleep(0.02)
    rt.wait_ready(server, process, max(1.0, deadline - time.monotonic()))


@dataclass
class _Shared:
    """This process's one RT and whether a scenario has used it since it was last reset."""

    server: RtServer
    seeded: RtTemplate
    stack: contextlib.ExitStack
    used: bool = False
    open: bool = False


_shared: _Shared | None = None


def stop_shared_rt() -> None:
    """The shared RT stopped (its process group) and its folder removed, if this process started one."""
    global _shared
    if _shared is not None:
        _shared.stack.close()
        _shared = None


@contextlib.contextmanager
def fresh_rt() -> Iterator[RtServer]:
    """This test process's one RT (started on first use, stopped when the process exits), holding exactly the seeded
    template's data and no worker that served an earlier scenario. One scenario at a time."""
    global _shared
    if _shared is None:
        seeded = template()
        stack = contextlib.ExitStack()
        folder = Path(tempfile.mkdtemp(prefix="rt-shared-"))
        stack.callback(shutil.rmtree, folder, True)
        server = stack.enter_context(running_rt(folder, seeded))
        _shared = _Shared(server, seeded, stack)
        atexit.register(stop_shared_rt)
    shared = _shared
    if shared.open:
        raise RuntimeError("the shared RT is already given to a scenario: one at a time")
    if shared.used:
        try:
            _reset(shared.server, shared.seeded)
        except BaseException:
            stop_shared_rt()  # the next scenario starts a new one
            raise
    shared.open = shared.used = True
    try:
        yield shared.server
    finally:
        shared.open = False
