"""Snooze, send later and "awaiting our reply" are the contact center's, not the desk's: the desk as its own process
(`agent-desktop run` in tmux) against the mock servers over HTTP snoozes one chat (z) and schedules a reply on another
(ctrl+f); its terminal goes away, and a desk started again on the same configuration shows both chats still awaiting
our reply, one snoozed (z) and one with its reply scheduled (»), from what the contact center holds."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import available
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
LATER = "I will confirm with the courier tomorrow."


def take_chat(servers: Servers, term: TmuxTerminal, address: str, subject: str) -> None:
    placed = httpx.post(
        f"{servers.ccaas_url}/v1/contacts",
        json={"queue_id": "billing", "channel": "chat", "from_address": address, "subject": subject},
        headers=SUPERVISOR,
        timeout=5,
    )
    placed.raise_for_status()
    term.wait_for("s left")
    term.send("a")
    term.wait_for(f"{address}  in Billing")  # the chat in hand, selected, its composer with the keys


def row(term: TmuxTerminal, who: str) -> str:
    """The contacts list's row of `who` (its first characters: the list cuts a long address)."""
    return next((line for line in term.text().splitlines() if who in line and "Billing " in line), "")


def wait_row(term: TmuxTerminal, who: str, mark: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while mark not in row(term, who).split("Billing")[0]:
        assert time.monotonic() < deadline, f"{who}'s row never showed {mark!r}:\n{term.text()}"
        time.sleep(0.05)


def test_a_snoozed_chat_and_a_scheduled_reply_survive_the_desk_started_again(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    env = desktop_environment(tmp_path)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=env) as term:
        available(term)
        take_chat(servers, term, "ann@example.com", "Charged twice")
        term.wait_for("1 awaiting reply (A)")  # the customer wrote last
        term.send("Escape")
        term.wait_for("z Snooze", timeout_s=10)
        term.send("z")
        term.wait_for("In 1 hour", timeout_s=10)
        term.send("Enter")
        wait_row(term, "ann@", " z")

        take_chat(servers, term, "bo@example.com", "Refund please")
        term.type(LATER)
        term.wait_for(LATER[:30])
        term.send("C-f")
        term.wait_for("In 1 hour", timeout_s=10)
        term.send("Enter")
        wait_row(term, "bo@", "»")
        term.wait_for("2 in hand · 2 awaiting (A) · 2 later (Z)")

    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=env) as term:  # started again
        term.wait_for("2 in hand · 2 awaiting (A) · 2 later (Z)", timeout_s=30)
        wait_row(term, "ann@", " z")
        wait_row(term, "bo@", "»")
        assert "↩" in row(term, "ann@"), row(term, "ann@")
        assert "↩" in row(term, "bo@"), "a scheduled reply is not sent yet: the customer still awaits ours"
