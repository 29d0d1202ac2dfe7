"""Closing the terminal of `make demo` ends the desk cleanly: `tmux kill-session`, then within 5 s no process
of the demo is left (make, the desktop, the mock servers it started) and the agent is Offline on the mock.

Under make the hang-up's SIGHUP goes to make, the session leader, and never reaches the desktop: before,
the desktop read the dead terminal's end of input in a loop (~90 % of a core) with its servers up until
someone sent SIGHUP by hand. The demo keeps its data in a folder of the test's (`--data-dir`
through the Makefile's ARGS), on free ports as always; the folder's path in every command line finds the
demo's processes, and its SQLite store says the agent's last state after the servers have stopped.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.scenes.tmux_terminal import TmuxTerminal

pytestmark = pytest.mark.tmux

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Process:
    pid: int
    session: int
    state: str
    command: str


def processes_mentioning(text: str) -> list[Process]:
    """Live processes whose command line holds `text` (a zombie's is empty: it has ended)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended meanwhile
        if text in command:
            fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, session, ...
            found.append(Process(int(entry.name), int(fields[3]), fields[0], command))
    return found


def agent_state(data_dir: Path, agent_id: str = "agent-001") -> str:
    with sqlite3.connect(data_dir / "ccaas.db") as db:
        (data,) = db.execute("select data from agents where id = ?", [agent_id]).fetchone()
    answer: str = json.loads(data)["state"]
    return answer


def test_closing_the_terminal_of_make_demo_signs_out_and_leaves_nothing_running(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    command = ["make", "--no-print-directory", "demo", f"ARGS=--data-dir {data_dir}"]
    with TmuxTerminal(command, cwd=REPO, session=f"help-{uuid.uuid4().hex[:8]}") as term:
        term.wait_for("Offline", timeout_s=60)
        term.wait_for("palette")
        running = processes_mentioning(str(data_dir))
        desktop = [p for p in running if "agent-desktop demo" in p.command]
        assert desktop, running
        assert any("agent_desktop_mocks" in p.command for p in running), running
        assert desktop[0].session != desktop[0].pid, "the desktop leads no session: the hang-up goes to another"

        term.send("v")
        # The simulated floor may offer a contact at once: Available can be on screen for a moment only.
        deadline = time.monotonic() + 20
        while agent_state(data_dir) not in ("available", "offered") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert agent_state(data_dir) in ("available", "offered"), term.text()

        term.kill_session()
        deadline = time.monotonic() + 5
        while (left := processes_mentioning(str(data_dir))) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not left, "still running 5 s after the terminal went away:\n" + "\n".join(map(str, left))
    assert agent_state(data_dir) == "offline", "the desk signed the agent out before it exited"
