"""CPU seconds per test, to compare like with like on a shared machine, where wall time is noise.

A pytest plugin, off unless asked for: each test's CPU (user + system, `getrusage` of the process that runs it, its
threads included — the in-process mocks and servers in threads —, and of the child processes it waited for) and its
wall time, written at the end as one JSON file per process (each xdist worker its own) into the folder named:

    .venv/bin/python -m pytest -p tests.support.cpu_per_test --cpu-per-test=/tmp/cpu -n 3 tests/ui
    .venv/bin/python -m tests.support.cpu_per_test /tmp/cpu [--top 40]

The second command sums them: the CPU of the processes, of the tests, and the tests and modules that used most.
The same files measured at two commits (or before and after a change) is a fair comparison; a wall time is not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROWS = pytest.StashKey[list[tuple[str, float, float]]]()


def cpu_seconds() -> float:
    """This process's CPU so far (its threads included) and that of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-per-test", metavar="FOLDER", help="write each test's CPU seconds into FOLDER")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[ROWS] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    if not item.config.getoption("--cpu-per-test"):
        yield
        return
    cpu, wall = cpu_seconds(), time.monotonic()
    yield
    item.config.stash[ROWS].append((item.nodeid, cpu_seconds() - cpu, time.monotonic() - wall))


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = session.config.getoption("--cpu-per-test")
    if not folder or session.config.pluginmanager.hasplugin("dsession"):  # xdist's controller runs no test
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    report = {"process_cpu_s": cpu_seconds(), "tests": session.config.stash[ROWS]}
    (Path(folder) / f"{worker}-{os.getpid()}.json").write_text(json.dumps(report))


def summary(folder: Path, top: int = 30) -> str:
    reports = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    tests = [tuple(row) for report in reports for row in report["tests"]]
    modules: Counter[str] = Counter()
    for nodeid, cpu, _ in tests:
        modules[nodeid.split("::", 1)[0]] += cpu
    lines = [
        f"{len(reports)} processes: {sum(r['process_cpu_s'] for r in reports):.1f} s of CPU, "
        f"{sum(cpu for _, cpu, _ in tests):.1f} s of it in {len(tests)} tests",
        "-- modules (CPU s)",
        *(f"{cpu:8.1f}  {module}" for module, cpu in modules.most_common(top)),
        "-- tests (CPU s, wall s)",
        *(f"{cpu:8.1f} {wall:7.1f}  {nodeid}" for nodeid, cpu, wall in sorted(tests, key=lambda t: -t[1])[:top]),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.cpu_per_test", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=30)
    options = parser.parse_args(argv)
    print(summary(options.folder, options.top))


if __name__ == "__main__":
    main()
