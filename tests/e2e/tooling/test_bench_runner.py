"""`make bench` runs each benchmark module in a process of its own (benchmarks/__main__.py): its lines pass
through, a module that fails or overstays is one line with an `error` (its servers ended with it) and the run
goes on; a module's peak memory is its own, not a parent's (benchmarks/figures.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import __main__ as bench_main

PYTHON = sys.executable


def _figure(name: str) -> list[str]:
    return [PYTHON, "-c", f"import json, os; print(json.dumps({{'name': {name!r}, 'pid': os.getpid()}}))"]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def test_each_module_runs_alone_and_a_failure_does_not_end_the_run(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    server_pid = tmp_path / "server.pid"
    overstays = (
        "import subprocess, sys, time; "
        "server = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
        f"open({str(server_pid)!r}, 'w').write(str(server.pid)); time.sleep(120)"
    )
    commands = {
        "first": _figure("first"),
        "fails": [PYTHON, "-c", "import sys; print('it broke', file=sys.stderr); sys.exit(3)"],
        "overstays": [PYTHON, "-c", overstays],
        "last": _figure("last"),
    }
    monkeypatch.setattr(bench_main, "module_names", lambda: list(commands))
    monkeypatch.setattr(bench_main, "module_command", commands.__getitem__)
    monkeypatch.setattr(bench_main, "MODULE_TIMEOUT_S", 3)

    assert bench_main.main(list(commands)) == 1

    out, err = capfd.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["name"] for line in lines] == ["first", "bench_fails", "bench_overstays", "last"]
    assert lines[1]["error"] == "exit code 3"
    assert lines[2]["error"] == "timed out after 3 s"
    assert len({lines[0]["pid"], lines[3]["pid"], os.getpid()}) == 3  # a fresh process each
    assert "it broke" in err  # a module's stderr is the run's
    assert not _alive(int(server_pid.read_text())), "the overstaying module's server outlived it"


def test_an_unknown_module_is_refused() -> None:
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks", "no_such"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=bench_main.ROOT,
    )
    assert done.returncode == 2
    assert "unknown benchmark 'no_such'" in done.stderr


def test_a_child_reports_its_own_peak_memory_not_its_parents() -> None:
    """Linux carries `ru_maxrss` over fork and execve: a benchmark's child started by a big parent reported the
    parent's peak. `peak_rss_mb` reads the child's own high-water mark."""
    child = (
        "import resource; from benchmarks.figures import peak_rss_mb; "
        "print(peak_rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    parent = (
        "import subprocess, sys; heap = b'x' * (256 << 20); "
        f"print(subprocess.run([sys.executable, '-c', {child!r}], capture_output=True, text=True).stdout)"
    )
    done = subprocess.run([PYTHON, "-c", parent], capture_output=True, text=True, timeout=120, cwd=bench_main.ROOT)
    assert done.returncode == 0, done.stderr
    own, inherited = map(float, done.stdout.split())
    assert inherited >= 256  # what ru_maxrss says: the parent's heap
    assert own < 100
