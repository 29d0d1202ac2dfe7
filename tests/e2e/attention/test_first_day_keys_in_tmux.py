"""The first day's keys in a real terminal (tmux), at a burst's pace and a person's:
a greeting typed right after accepting a chat goes into its composer (it used to hold the chat, ask to end it and
answer yes), and `n` pressed just after ctrl+s saves the wrap-up takes a break (it was typed into the closing
notes, and the agent went Available).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.conftest import Servers
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux


def place(servers: Servers, channel: str, address: str) -> None:
    call = httpx.post(
        f"{servers.ccaas_url}/v1/contacts",
        json={"queue_id": "billing", "channel": channel, "from_address": address, "subject": "Charged twice"},
        headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
        timeout=5,
    )
    call.raise_for_status()


def available(term: TmuxTerminal) -> None:
    term.wait_for("Offline", timeout_s=30)
    term.send("v")
    term.wait_for("● Available")


def composer_line(term: TmuxTerminal) -> str:
    """The composer's first line (its box's left edge is the second `│` of a row, right of the card)."""
    return next((line for line in term.text().splitlines() if "│hey" in line), "")


@pytest.mark.parametrize("pace_s", [0.0, 0.25], ids=["burst", "person"])
def test_a_greeting_typed_right_after_accepting_a_chat_is_written_not_run(
    tmp_path: Path, servers: Servers, pace_s: float
) -> None:
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        available(term)
        place(servers, "chat", "dana@example.com")
        term.wait_for("s left")
        if pace_s:
            for key in "ahey":
                term.type(key)
                time.sleep(pace_s)
        else:
            term.type("ahey")  # one write to the terminal: four keys in the same instant
        term.wait_for("│hey", timeout_s=10)
        time.sleep(1.0)  # anything the letters would have run has had the time to show
        screen = term.text()
        assert "On hold" not in screen, screen
        assert "End while the customer waits?" not in screen, screen
        assert "Connected" in screen or "Waits" in screen or "Reply " in screen, screen


@pytest.mark.parametrize("pace_s", [0.0, 0.3], ids=["burst", "person"])
def test_n_just_after_ctrl_s_takes_a_break(tmp_path: Path, servers: Servers, pace_s: float) -> None:
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        available(term)
        place(servers, "voice", "+12125550111")
        term.wait_for("s left")
        term.send("a")
        term.wait_for("Connected")
        term.send("e")
        term.wait_for("After contact work")
        term.send("w", "Enter")
        time.sleep(0.5)
        term.send("Down", "Enter")
        time.sleep(0.5)
        term.send("Tab")
        term.type("Refund agreed")
        time.sleep(0.3)
        if pace_s:
            term.send("C-s")
            time.sleep(pace_s)  # a person's beat after saving
            term.send("n")
        else:
            term.send_together("C-s", "n")
        term.wait_for("Not ready — why?", timeout_s=10)
        term.send("Enter")
        term.wait_for("● Not ready", timeout_s=10)
