"""`agent-desktop demo` offers supervisor mode: f2 switches desks; `demo --supervisor` starts on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal, processes_using

pytestmark = pytest.mark.tmux


def test_demo_switches_between_agent_and_supervisor(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    with TmuxTerminal([AGENT_DESKTOP, "demo", "--data-dir", str(data_dir)]) as term:
        term.wait_for("Offline", timeout_s=30)
        term.send("v")
        term.wait_for_any("● Available", "● Offered")  # the simulated floor may offer a contact at once

        term.send("F2")
        term.wait_for("Queues — last 30 minutes", timeout_s=15)
        term.wait_for("Alex Morgan", timeout_s=15)  # the demo agent on the agents table …
        screen = term.text()
        assert "Staffing advice" in screen
        assert "Technical sup" in screen
        assert "f2 Switch desk" in screen  # the footer offers the way back
        # … still routed while hidden: Available, offered a contact, or Missed once that offer timed out
        # unanswered (the demo's offers wait 20 s: a slow machine can get there).
        assert any(word in screen for word in ("Available", "Offered", "Busy", "Missed"))

        term.send("F2")
        term.wait_for("My contacts", timeout_s=15)
        term.send("C-q")
        term.wait_exit()
    assert processes_using(data_dir) == "", "quitting the desktop stops the mock servers"


def test_demo_can_start_on_the_supervisor_screen(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    with TmuxTerminal([AGENT_DESKTOP, "demo", "--supervisor", "--data-dir", str(data_dir)]) as term:
        term.wait_for("Queues — last 30 minutes", timeout_s=30)
        term.wait_for("contact center ●", timeout_s=15)
        term.send("C-q")
        term.wait_exit()
    assert processes_using(data_dir) == ""
