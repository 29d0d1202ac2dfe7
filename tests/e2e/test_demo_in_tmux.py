"""`agent-desktop demo` in a real terminal (tmux): offered within 30 s, the flow by keys, nothing left running."""

from __future__ import annotations

import time

import pytest

from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal, processes_using

pytestmark = pytest.mark.tmux


def test_demo_flow_by_keyboard_in_a_real_terminal(tmp_path):
    data_dir = tmp_path / "demo-data"
    with TmuxTerminal([AGENT_DESKTOP, "demo", "--data-dir", str(data_dir)]) as term:
        term.wait_for("Offline", timeout_s=30)
        term.wait_for("Not ready")  # the footer shows the keys that apply (drawn just after the state)
        assert "palette" in term.text()

        term.send("v")
        term.wait_for_any("● Available", "● Offered")  # the simulated floor may offer a contact at once
        # The simulator keeps the floor busy: an offer arrives within 30 s of going Available.
        term.wait_for("s left", timeout_s=30)
        screen = term.text()
        assert "accept" in screen and "reject" in screen

        term.send("a")
        term.wait_for("Connected")
        term.send("e")
        # A chat, SMS or email whose customer wrote last asks before it ends (the first offer may be any channel).
        if term.wait_for_any("After-contact work", "End while the customer waits?") != "After-contact work":
            term.send("y")
            term.wait_for("After-contact work")  # the selected contact's panel: its wrap-up is open
        term.send("w", "Enter")
        # The dispositions menu is open, as a user would see: the offered contact's queue decides which
        # (the demo's first offer may come from any queue, on any channel).
        second_choices = ("Payment arrangement", "Troubleshooting guided", "Quote sent")
        deadline = time.monotonic() + 20
        while not any(choice in term.text() for choice in second_choices):
            assert time.monotonic() < deadline, f"no dispositions menu:\n{term.text()}"
            time.sleep(0.05)
        term.send("Down", "Enter")
        # As a person would, the list closed on the choice (the select's line shows it, not its prompt) before tab, and the
        # cursor in the notes (the footer's help key is f1 in a text box) before typing: a tab sent while the list
        # was still closing left the focus on the select, and the notes' letters ran the desk's keys (c opened a
        # case, t a transfer: a quiet full run).
        deadline = time.monotonic() + 20
        while not any("▼" in line and "Disposition" not in line for line in term.text().splitlines()):
            assert time.monotonic() < deadline, f"the list did not close on a choice:\n{term.text()}{term.stacks()}"
            time.sleep(0.05)
        term.send("Tab")
        term.wait_for("f1 Help")
        term.type("Walked the caller through it.")
        term.send("C-s")
        term.wait_for("Wrap-up saved")
        term.wait_for("1 sent")  # the outbox line: the CRM has it

        term.send("C-q")
        term.wait_exit()
    assert processes_using(data_dir) == "", "quitting the desktop stops the mock servers"
