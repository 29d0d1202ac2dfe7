"""A server started in a session of its own (`start_new_session=True`), stopped with everything it started."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """`signum` to the process's whole group (its workers too); a group already gone is no error."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop_group(process: subprocess.Popen[bytes], wait_s: float) -> None:
    """SIGTERM to the group, SIGKILL after `wait_s`, then SIGKILL to what is left of it (workers the leader did not
    take down with it may not outlive the test)."""
    signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
        process.wait(timeout=wait_s)
    signal_group(process, signal.SIGKILL)
