"""Every core kept busy while a test run or a benchmark asks: processes spinning at the caller's priority.

`with cpu_load(): ...` starts one spinning process per core (or `procs`) and ends them on the way out. They are
not niced: the desk competes with them as an equal, as it does with a browser or a build on an agent's machine.
Each ends by itself at its deadline (`seconds`), or as soon as the process that started it is gone (its parent
pid changes), so a killed test run leaves nothing spinning.

    python -m tests.support.cpu_load --seconds 60 [--procs 2]

holds the load from a shell for that long (ctrl+c ends it sooner).
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SECONDS = 3600.0  # the longest a load outlives a caller that never ends it
READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
SPINS_BETWEEN_LOOKS = 20_000  # a few ms of Python: how often a spinner looks at its deadline and its parent


def cores() -> int:
    return os.cpu_count() or 1


@contextmanager
def cpu_load(procs: int | None = None, seconds: float = DEFAULT_SECONDS) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`procs` processes (one per core by default) spinning until the block ends, `seconds` at most. Yields once
    each is spinning (the processes, for a test to look at)."""
    count = cores() if procs is None else procs
    command = [sys.executable, "-m", "tests.support.cpu_load", "--spin", str(seconds), "--parent", str(os.getpid())]
    children: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(count):
            children.append(
                subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, close_fds=True)
            )
        _until_spinning(children)
        yield children
    finally:
        _stop(children)


def _until_spinning(children: list[subprocess.Popen[bytes]]) -> None:
    """Each child writes a line once it spins; bounded, so a child that cannot start fails the caller."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    for child in children:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready or not child.stdout.readline():
            raise RuntimeError(f"load process {child.pid} did not start spinning (exit code {child.poll()})")
        child.stdout.close()


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        try:
            child.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None and not child.stdout.closed:
            child.stdout.close()


def spin(seconds: float, parent: int) -> None:
    """Keep one core busy until `seconds` have passed or `parent` is no longer this process's parent."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # ctrl+c in the terminal ends it quietly, as it ends the caller
    deadline = time.monotonic() + seconds
    print("spinning", flush=True)
    sys.stdout.close()
    n = 0
    while time.monotonic() < deadline and os.getppid() == parent:
        for _ in range(SPINS_BETWEEN_LOOKS):
            n += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.cpu_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to hold the load (default 60)")
    parser.add_argument("--procs", type=int, default=None, help=f"spinning processes (default one a core: {cores()})")
    parser.add_argument("--spin", type=float, default=None, help=argparse.SUPPRESS)  # a child: spin this long
    parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.spin is not None:
        spin(options.spin, options.parent if options.parent is not None else os.getppid())
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # the load ends with the holder, however it is asked
    try:
        with cpu_load(options.procs, options.seconds + 5) as children:
            pids = " ".join(str(child.pid) for child in children)
            print(f"holding {len(children)} spinning processes ({pids}) for {options.seconds:g} s", file=sys.stderr)
            sys.stderr.flush()
            time.sleep(options.seconds)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
