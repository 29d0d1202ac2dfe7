"""Where start-up's CPU goes, per phase, against the bare Textual app: `agent-desktop run` (in a user's install)
and benchmarks/bare_textual_start.py started in tmux as `bench_desktop.bench_startup` starts them, each process
noting its own CPU (`time.process_time()`, all threads) and wall time at the phases of `agent-desktop run` (agent_desktop/app/commands/run.py) and at its
first terminal write that shows "Offline", with Textual's parts before that write (style sheets parsed, styles
applied, restyles, compose and mount, compositing) in this thread's CPU. Not part of `make bench`.

    .venv/bin/python -m benchmarks.timeline_startup --runs 6 [--tree /path/to/another/checkout ...]

Each `--tree` (a checkout's root, put first on PYTHONPATH) is started in turn with this one and the bare app,
interleaved, so a change in the machine's load reaches all; the medians are printed per tree. Wall time on a
loaded machine moves by more than a change does: judge a change by the CPU columns, or by `--instructions`: each
start under valgrind's callgrind, ended at its first frame, counting the instructions it ran to there (all threads),
which the machine's load does not move.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

ROOT = Path(__file__).resolve().parent.parent
PROBE_OUT = "TIMELINE_STARTUP_OUT"
EXIT_AT_FRAME = "TIMELINE_STARTUP_EXIT_AT_FRAME"  # `--instructions`: the count ends at the first frame


# --- inside the started process ------------------------------------------------------------------------


def probe(bare: bool) -> None:
    """Run the desk (or the bare app) with its phases noted; write them as one JSON line at the first frame."""
    started = time.perf_counter()
    marks: dict[str, tuple[float, float]] = {}
    parts: dict[str, float] = defaultdict(float)
    done = False

    def mark(name: str) -> None:
        marks.setdefault(name, ((time.perf_counter() - started) * 1000, time.process_time() * 1000))

    from textual.drivers.linux_driver import LinuxDriver  # the desk's driver is a subclass that keeps its `write`

    write = LinuxDriver.write

    def first_write(self: LinuxDriver, data: str) -> None:
        nonlocal done
        if not done and "Offline" in data:
            done = True
            mark("first frame")
            with open(os.environ[PROBE_OUT], "a") as out:
                out.write(json.dumps({"marks": marks, "parts": {k: v * 1000 for k, v in parts.items()}}) + "\n")
            if os.environ.get(EXIT_AT_FRAME):
                write(self, data)
                os._exit(0)
        write(self, data)

    LinuxDriver.write = first_write  # type: ignore[method-assign]
    counting = bool(os.environ.get(EXIT_AT_FRAME))  # instructions: the program as it is, without the timers
    if not counting:
        _time_textual_parts(parts, lambda: done)
    import textual.app

    run = textual.app.App.run

    def timed_run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        mark("App.run")
        return run(self, *args, **kwargs)

    textual.app.App.run = timed_run  # type: ignore[method-assign]
    if bare:
        import runpy

        sys.argv = sys.argv[:1]
        runpy.run_module("benchmarks.bare_textual_start", run_name="__main__")
        return
    from agent_desktop.app import cli

    if not counting:
        from agent_desktop.app.commands import run as run_command

        _mark_run_phases(run_command, mark)
    sys.exit(cli.main(["run"]))


def _mark_run_phases(run: ModuleType, mark: Callable[[str], None]) -> None:
    load, in_thread = run.load, run.in_thread

    def timed_load(*args: Any, **kwargs: Any) -> Any:  # (the command's own functions, passed through)
        result = load(*args, **kwargs)
        mark("settings loaded (load)")
        return result

    def timed_in_thread(function: Callable[..., Any], *args: Any) -> Any:
        def checked(*inner: Any) -> Any:
            try:
                return function(*inner)
            finally:
                mark("access check ended (its thread)")

        started = in_thread(checked, *args)
        mark("open_desktop")  # what follows in `run`: the desk's modules imported while the check runs

        class Waited:
            def result(self) -> Any:
                mark("desk's modules imported")
                answer = started.result()
                mark("access check's answer read")
                return answer

        return Waited()

    run.load, run.in_thread = timed_load, timed_in_thread  # type: ignore[attr-defined]  # timed


def _time_textual_parts(parts: dict[str, float], finished: Callable[[], bool]) -> None:
    """This thread's CPU in each of Textual's start-up parts, outermost call only, until the first frame."""
    import inspect

    from textual.css.stylesheet import Stylesheet
    from textual.widget import Widget

    from agent_desktop.ui.textual_compat import frame_steps

    inside: dict[str, int] = defaultdict(int)

    def timed(cls: type, name: str, label: str) -> None:
        original = getattr(cls, name)
        if inspect.iscoroutinefunction(original):

            async def timed_coroutine(*args: Any, **kwargs: Any) -> Any:  # (Textual's own, passed through)
                if inside[label] or finished():
                    return await original(*args, **kwargs)
                inside[label] += 1
                cpu = time.thread_time()
                try:
                    return await original(*args, **kwargs)
                finally:
                    parts[label] += time.thread_time() - cpu
                    inside[label] -= 1

            setattr(cls, name, timed_coroutine)
        else:

            def timed_function(*args: Any, **kwargs: Any) -> Any:  # (as above)
                if inside[label] or finished():
                    return original(*args, **kwargs)
                inside[label] += 1
                cpu = time.thread_time()
                try:
                    return original(*args, **kwargs)
                finally:
                    parts[label] += time.thread_time() - cpu
                    inside[label] -= 1

            setattr(cls, name, timed_function)

    timed(Stylesheet, "parse", "style sheets parsed")
    timed(Stylesheet, "apply", "styles applied (parse included)")
    timed(Stylesheet, "update_nodes", "restyles")
    timed(Widget, "_compose", "compose and mount")
    # The compositing of the first frame (its layout is still running when the frame is written: not reported).
    for cls, name, step in frame_steps():
        if step == "composite":
            timed(cls, name, "compositing")


# --- the driver ------------------------------------------------------------------------------------------


def start(command: list[str], env: dict[str, str]) -> float:
    from benchmarks.bench_desktop import time_to_agent_screen

    return time_to_agent_screen(command, env)


def instructions(command: list[str], env: dict[str, str], folder: Path) -> float:
    """Millions of instructions `command` runs to its first frame, under callgrind (ended there by the probe)."""
    import re

    from tests.support.scenes.tmux_terminal import TmuxTerminal

    counts = folder / "callgrind.out"
    counts.unlink(missing_ok=True)
    slow = {f"DESKTOP_{key}__TIMEOUT_S": "60" for key in ("CCAAS", "CRM", "PRESENCE")}  # callgrind is ~50× slower
    valgrind = ["valgrind", "--tool=callgrind", "--dump-instr=no", f"--callgrind-out-file={counts}"]
    with TmuxTerminal([*valgrind, *command], cwd=ROOT, env={**env, **slow, EXIT_AT_FRAME: "1"}) as term:
        term.wait_exit(timeout_s=600)
        found = re.search(r"^summary:\s*(\d+)", counts.read_text() if counts.exists() else "", re.MULTILINE)
        if found is None:
            raise RuntimeError(f"no count from callgrind:\n{term.text()}")
    return int(found.group(1)) / 1e6


def main() -> None:
    # Here, not at the top: the probe (this file, in the started process) imports only what it needs.
    import argparse
    import statistics
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--tree", action="append", default=[], type=Path, help="another checkout to start too")
    parser.add_argument("--instructions", action="store_true", help="count instructions to the first frame instead")
    args = parser.parse_args()
    from agent_desktop.app.demo import demo_servers
    from benchmarks.desk_venv import desk_python

    desk = desk_python()

    trees = {"bare": ROOT, "this tree": ROOT, **{str(tree): tree.resolve() for tree in args.tree}}
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    walls: dict[str, list[float]] = {name: [] for name in trees}
    counted: dict[str, list[float]] = {name: [] for name in trees}
    loads: list[str] = []
    with demo_servers(speed=1.0) as servers, tempfile.TemporaryDirectory(prefix="timeline-startup-") as folder:
        for run in range(args.runs + 1):  # the first round warms the file and byte-code caches, and is dropped
            for name, tree in trees.items():
                out = Path(folder) / f"{len(walls[name])}-{abs(hash(name))}.json"
                env = {
                    "DESKTOP_CCAAS__BASE_URL": servers.ccaas_url,
                    "DESKTOP_CRM__BASE_URL": servers.crm_url,
                    "DESKTOP_PRESENCE__BASE_URL": servers.presence_url,
                    "DESKTOP_OUTBOX_PATH": str(Path(folder) / "outbox.db"),
                    "PYTHONPATH": f"{tree}{os.pathsep}{ROOT}",
                    PROBE_OUT: str(out),
                }
                # This file by its path: `-m` would put the working folder (this checkout) before the tree's. The desk
                # runs in a user's install (benchmarks/desk_venv.py), as bench_desktop starts it.
                python = sys.executable if name == "bare" else str(desk)
                command = [python, __file__, "--probe", "bare" if name == "bare" else "desk"]
                if args.instructions:
                    if run:
                        counted[name].append(instructions(command, env, Path(folder)))
                    continue
                wall = start(command, env)
                if run and out.exists():
                    walls[name].append(wall)
                    found[name].append(json.loads(out.read_text().splitlines()[-1]))
            loads.append(Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?")
    print(f"{args.runs} starts each, interleaved; load average (1 min) after each round: {' '.join(loads)}")
    if args.instructions:
        for name, counts in counted.items():
            ratio = statistics.median(counts) / statistics.median(counted["bare"])
            print(
                f"{name}: to the first frame, {statistics.median(counts):,.0f} M instructions (p50; {ratio:.2f}× bare)"
            )
        return
    for name in trees:
        print(report(name, walls[name], found[name]))


def report(name: str, walls: list[float], runs: list[dict[str, Any]]) -> str:
    import statistics

    if not runs:
        return f"{name}: no start showed Offline"
    lines = [f"{name}: to the first frame, wall p50 {statistics.median(walls) * 1000:.0f} ms (the bench's own timing)"]
    lines.append("  mark                                  wall ms   CPU ms (p50, process, from its start)")
    for mark in runs[0]["marks"]:
        wall = statistics.median(r["marks"][mark][0] for r in runs if mark in r["marks"])
        cpu = statistics.median(r["marks"][mark][1] for r in runs if mark in r["marks"])
        lines.append(f"  {mark:36s} {wall:8.0f} {cpu:8.0f}")
    lines.append("  Textual's parts before the first frame (this thread's CPU ms, p50)")
    for part in runs[0]["parts"]:
        lines.append(f"  {part:36s} {statistics.median(r['parts'].get(part, 0.0) for r in runs):17.1f}")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:  # inside the terminal
        probe(sys.argv[2] == "bare")
    else:
        main()
