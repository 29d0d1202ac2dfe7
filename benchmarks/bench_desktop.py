"""Start-up, `make demo` and memory figures for the agent desktop.

Timings are taken in a real terminal (tmux) from the moment the command is
started to the moment the agent's state from the contact center is on screen.
The machine they ran on is printed to stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from agent_desktop.app.demo import demo_servers
from benchmarks.desk_venv import desk_python
from benchmarks.figures import timing
from tests.support.scenes.tmux_terminal import TmuxTerminal

ROOT = Path(__file__).resolve().parent.parent


class ServerUrls(Protocol):
    """Where the three servers a desk talks to answer (the demo's, or a test's stand-in)."""

    @property
    def ccaas_url(self) -> str: ...
    @property
    def crm_url(self) -> str: ...
    @property
    def presence_url(self) -> str: ...


SHIFT_BOUND_S = 900  # a 50-contact shift takes ~4-5 minutes here at load 7 (~5 s a contact, the notes typed as a burst)


def time_to_agent_screen(command: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting `command` in a terminal to the agent's state being shown."""
    start = time.monotonic()
    with TmuxTerminal(command, cwd=ROOT, env=env) as term:
        term.wait_for("Offline", timeout_s=60, interval_s=0.01)
        elapsed = time.monotonic() - start
        term.send("C-q")
        term.wait_exit(timeout_s=30)
    return elapsed


def bench_startup(servers: ServerUrls, runs: int = 15) -> tuple[dict[str, Any], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as desk_dir:
        return _bench_startup(servers, runs, Path(desk_dir) / "outbox.db")


def _bench_startup(servers: ServerUrls, runs: int, outbox: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    env = {
        "DESKTOP_CCAAS__BASE_URL": servers.ccaas_url,
        "DESKTOP_CRM__BASE_URL": servers.crm_url,
        "DESKTOP_PRESENCE__BASE_URL": servers.presence_url,
        # Its own outbox and drafts (the first run makes them, as a user's first start does): the user's data
        # folder is shared by everything run on the machine, and an outbox another version wrote there could
        # stop this one.
        "DESKTOP_OUTBOX_PATH": str(outbox),
    }
    # The desk as a user's install starts it (benchmarks/desk_venv.py): in the dev environment the dev tools' click
    # makes `import httpx` import httpx's own command line, which no user's desk carries. The reference is unchanged.
    desktop = [str(desk_python().parent / "agent-desktop"), "run"]
    bare = [sys.executable, "-m", "benchmarks.bare_textual_start"]
    time_to_agent_screen(desktop, env)  # warm the file cache (and the byte-code caches) once
    time_to_agent_screen(bare)
    seconds: list[float] = []
    floor: list[float] = []
    for _ in range(runs):  # interleaved, so a change in the machine's load reaches both
        floor.append(time_to_agent_screen(bare))
        seconds.append(time_to_agent_screen(desktop, env))
    figure = {**timing("desktop_start_to_interactive", seconds, target=1.0), "target": {"p50": 0.8}}
    reference = timing("bare_textual_start_same_run", floor, target=0.0)
    figure["reference_p50"] = reference["p50"]
    figure["over_reference_p50"] = round(figure["p50"] / reference["p50"], 2)
    return figure, {**reference, "target": "(reference: a bare Textual app in the same terminal, same run)"}


def bench_make_demo(runs: int = 3) -> dict[str, Any]:
    seconds = [time_to_agent_screen(["make", "--no-print-directory", "demo"]) for _ in range(runs)]
    return timing("make_demo_to_agent_screen", seconds, target=3.0)


def bench_shift_memory(servers: ServerUrls, contacts: int = 10, target: object = 78) -> dict[str, Any]:
    command = [
        str(desk_python()),
        "-m",
        "benchmarks.shift",
        "--ccaas",
        servers.ccaas_url,
        "--crm",
        servers.crm_url,
        "--presence",
        servers.presence_url,
        "--contacts",
        str(contacts),
        "--timeout-s",
        str(SHIFT_BOUND_S),
    ]
    try:
        # The shift bounds itself; this bound is for a child that stops answering altogether.
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=SHIFT_BOUND_S + 120)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"the {contacts}-contact shift did not end:\n{_tail(error.stderr)}") from None
    if result.returncode != 0:  # what the shift said is the only clue there is: keep it
        raise RuntimeError(
            f"the {contacts}-contact shift stopped with exit {result.returncode}:\n{_tail(result.stderr)}"
        )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "name": "desktop_peak_memory_during_shift" + ("" if contacts == 10 else f"_{contacts}_contacts"),
        "unit": "MB",
        "value": figures["peak_rss_mb"],
        "contacts": figures["contacts"],
        "rss_mb_after_first_and_last_contact": [figures["rss_mb_after_each"][0], figures["rss_mb_after_each"][-1]],
        "rss_mb_after_each": figures["rss_mb_after_each"],
        "shift_s": figures["shift_s"],
        "target": target,
    }


def _tail(stderr: str | bytes | None, lines: int = 60) -> str:
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    return "\n".join((stderr or "(no stderr)").splitlines()[-lines:])


def run() -> Iterator[dict[str, Any]]:
    with demo_servers(speed=1.0) as servers:  # the demo's own pace
        yield from bench_startup(servers)
    with demo_servers(speed=4.0) as servers:  # a busy floor, so the shift does not wait for callers
        ten = bench_shift_memory(servers)
        yield ten
    with demo_servers(speed=4.0) as servers:
        # A longer shift must not grow: what one contact leaves behind would show here.
        fifty = bench_shift_memory(servers, 50, target=f"<= {ten['value'] + 3:.1f} (10-contact shift + 3 MB)")
        yield fifty
    # The same, within one shift: from its 10th contact to its 50th. The two shifts above are unlike when the first
    # chat (its mood scored: VADER's lexicon, ~2.6 MB once) comes inside one's first 10 contacts and not the other's.
    after_each = fifty["rss_mb_after_each"]
    yield {
        "name": "desktop_memory_growth_contacts_10_to_50",
        "unit": "MB",
        "value": round(after_each[-1] - after_each[9], 1),
        "target": 3,
    }
    yield bench_make_demo()
