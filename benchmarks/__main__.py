"""`make bench`: every benchmark, one JSON object per line on stdout.

Each `benchmarks/bench_*.py` module has a `run()` yielding dicts with `name`,
`unit`, `p50` and `p99` (or `value`) and `target`. `python -m benchmarks NAME ...`
runs only the modules named (`desktop` for bench_desktop.py). The machine the
figures came from is printed to stderr.

Each module runs in a fresh process of its own (`python -m benchmarks --module NAME`),
so one module's heap, threads and collector cannot distort the next's figures; its
stdout and stderr are this process's. A module that fails, or outlives
BENCH_MODULE_TIMEOUT_S seconds (default 3600; it and its children are then killed),
is reported as a JSON line with an `error`, the run goes on, and the exit code is 1.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULE_TIMEOUT_S = float(os.environ.get("BENCH_MODULE_TIMEOUT_S", "3600"))
KILL_GRACE_S = 10  # after SIGTERM, before SIGKILL: a module's servers get to close their files


def module_names() -> list[str]:
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def module_command(name: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks", "--module", name]


def run_process(command: list[str], name: str, timeout_s: float) -> dict[str, Any] | None:
    """Run one module's process to its end, its output passing straight through; None if it succeeded, else
    the line that says why not. It leads a process group of its own, so a timeout ends its servers too."""
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        code = process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _end_group(process)
        return _failure(name, f"timed out after {timeout_s:g} s", started)
    except BaseException:  # ctrl+c (the module's group no longer gets the terminal's signal) or anything else
        _end_group(process)
        raise
    _end_group(process)  # servers a module left running when it returned
    return None if code == 0 else _failure(name, f"exit code {code}", started)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the module's process group, then SIGKILL to whatever of it outlives the grace."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return  # nothing left of it
    deadline = time.monotonic() + KILL_GRACE_S
    while time.monotonic() < deadline:
        process.poll()  # reaps the leader: a zombie still counts as a member of its group
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _failure(name: str, error: str, started: float) -> dict[str, Any]:
    return {"name": f"bench_{name}", "error": error, "seconds": round(time.monotonic() - started, 1)}


def run_here(name: str) -> None:
    """A module's figures, in this process: what each module's own process runs."""
    module = importlib.import_module(f"benchmarks.bench_{name}")
    for figure in module.run():
        print(json.dumps(figure), flush=True)


def main(argv: list[str]) -> int:
    available = module_names()
    if argv[:1] == ["--module"]:
        run_here(argv[1])
        return 0
    chosen = argv or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from: {', '.join(available)}", file=sys.stderr)
        return 2
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}",
        file=sys.stderr,
    )
    failed = False
    for name in chosen:
        failure = run_process(module_command(name), name, MODULE_TIMEOUT_S)
        if failure is not None:
            print(json.dumps(failure), flush=True)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
