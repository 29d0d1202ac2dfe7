"""Escape and a key pressed at once, in a real terminal: tmux (its `escape-time` left at 0.5 s, as most users leave
it) sends them as one write, ESC and the letter, which is how a terminal says alt and the letter. The desk reads them
as the two keys the agent pressed: My day closes and the outbox opens, where both keys were lost before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import available
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux


def test_escape_and_a_letter_in_one_write_are_both_read(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        assert term._tmux("show-options", "-s", "-v", "escape-time").stdout.strip() == "500"
        available(term)
        term.send("d")
        term.wait_for("My day ·")
        term.send_together("Escape", "o")  # "\x1bo": alt+o to a terminal's reader
        term.wait_for("enter resend")  # the outbox's own line (the wrap-up panel names the outbox too)
        assert "My day ·" not in term.text(), term.text()
    assert "Traceback" not in term.text()
