"""The load the suite and the benchmarks run under (tests/support/cpu_load.py): its processes spin while asked, at
the caller's priority, are gone after, and end by themselves at their deadline or when whoever started them is
killed. (Here, not in tests/unit: it starts processes and kills one.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from tests.support.cpu_load import ROOT, cpu_load


def _alive(pid: int) -> bool:
    """Running or asleep: not ended, and not a zombie left for a parent to reap."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _until(condition: Callable[[], object], what: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_the_processes_spin_at_the_callers_priority_while_inside_and_are_gone_after() -> None:
    with cpu_load(procs=2, seconds=60) as children:
        pids = [child.pid for child in children]
        assert len(pids) == 2
        assert all(_alive(pid) for pid in pids)
        assert all(os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, 0) for pid in pids)
        _until(lambda: all(_cpu_seconds(pid) >= 0.2 for pid in pids), "the load processes to use the CPU")
    assert all(child.poll() is not None for child in children)
    assert not any(_alive(pid) for pid in pids)


def test_one_process_a_core_by_default() -> None:
    with cpu_load(seconds=60) as children:
        assert len(children) == (os.cpu_count() or 1)


def test_the_processes_end_at_their_deadline_with_the_caller_still_inside() -> None:
    with cpu_load(procs=1, seconds=1.0) as children:
        _until(lambda: children[0].poll() is not None, "the load process to end at its deadline", timeout_s=10)
        assert children[0].returncode == 0


def test_the_processes_end_by_themselves_when_the_holder_is_killed() -> None:
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.support.cpu_load", "--seconds", "120", "--procs", "2"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stderr is not None
        said = holder.stderr.readline()  # "holding 2 spinning processes (PID PID) for 120 s", once they spin
        assert said.startswith("holding 2 spinning processes"), said
        pids = [int(pid) for pid in said.split("(", 1)[1].split(")", 1)[0].split()]
        assert all(_alive(pid) for pid in pids)
        holder.send_signal(signal.SIGKILL)  # no `finally`, no clean-up: only the children's own check ends them
        holder.wait(10)
        _until(lambda: not any(_alive(pid) for pid in pids), "the orphaned load processes to end", timeout_s=5)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stderr is not None:
            holder.stderr.close()
