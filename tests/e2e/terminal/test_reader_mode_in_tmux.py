"""Reader mode in a real terminal (tmux), read as a screen reader reads it: after each key the terminal's cursor is
on the focused row (the contacts, the transfer directory, the experts, the help), and what changes without the
agent's doing — an offer, a missed offer, a customer's message — is said as a line of the review region, in order.
The cursor is tmux's own (`#{cursor_x},#{cursor_y}`), where the desk's last frame left it (docs/accessibility.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.conftest import Servers, small_settings
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux
AGENT_STATES = ("Available", "Busy", "Not ready", "Offline", "After-contact", "Missed")
SCROLL_BAR = "▁▂▃▄▅▆▇█▉▊▋▌▍▎▏▔"
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}


@pytest.fixture
def mock_settings(tmp_path: Path) -> MockSettings:
    return small_settings(tmp_path / "mocks").model_copy(update={"offer_timeout_s": 6.0})


def place(servers: Servers, channel: str, address: str, subject: str) -> str:
    body = {"queue_id": "billing", "channel": channel, "from_address": address, "subject": subject}
    call = httpx.post(f"{servers.ccaas_url}/v1/contacts", json=body, headers=SUPERVISOR, timeout=5)
    call.raise_for_status()
    return str(call.json()["id"])


def cursor_on(term: TmuxTerminal, words: str, timeout_s: float = 5.0) -> None:
    """The cursor reaches the line showing `words` (the reader mode looks ten times a second)."""
    deadline = time.monotonic() + timeout_s
    while words not in term.cursor_line():
        if time.monotonic() > deadline:
            screen = "\n".join(term.text().splitlines()[:8])
            raise AssertionError(
                f"the cursor is at {term.cursor()} on {term.cursor_line()!r}, not on {words!r}:\n{screen}"
            )
        time.sleep(0.05)


def escape(term: TmuxTerminal) -> None:
    """Escape alone: a key sent right after it would read as alt+key (ESC starts the terminal's sequences)."""
    term.send("Escape")
    time.sleep(0.3)


def said(term: TmuxTerminal) -> list[str]:
    """The review region's lines, without its border and scroll bar."""
    lines = term.text().splitlines()
    top = next(i for i, line in enumerate(lines) if "─ Said ─" in line)
    region = (line.strip("│ ").rstrip(SCROLL_BAR + " ") for line in lines[top + 1 :] if line.startswith("│"))
    return [line for line in region if any(ch.isalnum() for ch in line)]


def said_at_last(term: TmuxTerminal, holds: Callable[[list[str]], bool], what: str, timeout_s: float = 5.0) -> None:
    """The review region's lines come to hold `what`: the region is a frame behind the words that made it speak (the
    desk draws a customer's message, then says it), and on a busy machine more than one."""
    deadline = time.monotonic() + timeout_s
    while not holds(lines := said(term)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the review region does not say {what}: {lines}")
        time.sleep(0.05)


def test_the_cursor_follows_the_focused_row_and_changes_are_said_in_order(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    command = [AGENT_DESKTOP, "run", "--reader", "--no-remote", "--config", str(config)]
    with TmuxTerminal(command, env=desktop_environment(tmp_path)) as term:
        term.wait_for("Offline", timeout_s=30)
        term.send("v")
        term.wait_for("● Available")

        place(servers, "voice", "+18085550131", "Late fee")  # left to ring out: missed
        term.wait_for("Offer: voice from")
        said_at_last(term, lambda lines: lines[-1].startswith("Offer: voice from"), "the offer last")
        term.wait_for("Missed offer: voice from", timeout_s=20)
        said_at_last(term, lambda lines: lines[-1].startswith("Missed offer: voice from"), "the missed offer last")
        term.send("v")  # routable again
        term.wait_for("● Available")
        contact = place(servers, "chat", "dana@example.com", "Refund")
        term.wait_for("Offer: chat from dana@example.com")
        said_at_last(term, lambda lines: any(line.startswith("Offer: chat") for line in lines[-2:]), "the chat's offer")
        term.send("a")
        term.wait_for("Connected")
        escape(term)  # from the composer back to the contacts
        cursor_on(term, "Connected")  # the contacts list's row in hand

        reply = httpx.post(
            f"{servers.ccaas_url}/v1/contacts/{contact}/customer-messages",
            json={"text": "Is anyone there?"},
            headers=SUPERVISOR,
            timeout=5,
        )
        reply.raise_for_status()
        term.wait_for("Is anyone there?")
        said_at_last(
            term,
            lambda lines: lines[-1].startswith("Message from") and lines[-1].endswith(": Is anyone there?"),
            "the customer's message last",
        )

        term.send("t")  # the transfer directory: its first queue, then the next
        cursor_on(term, "Billing")
        term.send("Down")
        cursor_on(term, "Technical support")
        escape(term)
        term.send("/")  # the experts' search box keeps its own cursor; down to the list: its first expert
        term.send("Down")
        cursor_on(term, "●")
        escape(term)
        term.send("F1")  # the help: its first line in sight
        cursor_on(term, "This screen")
        escape(term)
        term.send("C-q")
        term.wait_for_any("Quit with contacts in hand", "y / enter")
        term.send("y")


def test_on_the_supervisors_desk_the_cursor_follows_the_queues_and_agents_rows(
    tmp_path: Path, servers: Servers
) -> None:
    config = desktop_config(tmp_path, servers)
    config.write_text(config.read_text() + f'[supervisor]\ntoken = "{DEMO_SUPERVISOR_TOKEN}"\n')
    command = [AGENT_DESKTOP, "supervisor", "--reader", "--no-remote", "--config", str(config)]
    with TmuxTerminal(command, env=desktop_environment(tmp_path)) as term:
        term.wait_for("Queues", timeout_s=30)
        cursor_on(term, "Billing", timeout_s=20)  # the queues' first row, focused at start
        _, first = term.cursor()
        term.send("Down")
        cursor_on(term, "Sales")
        assert term.cursor()[1] == first + 1, term.cursor()
        for _ in range(4):  # on through the staffing advice to the agents' table
            if any(state in term.cursor_line() for state in AGENT_STATES):
                break
            term.send("Tab")
            time.sleep(0.3)
        assert any(state in term.cursor_line() for state in AGENT_STATES), term.cursor_line()
        term.send("C-q")
