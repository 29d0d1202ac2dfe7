"""The wrap-up's rules on the real processes: the desk (`agent-desktop run` in tmux) against the mock servers over
HTTP. The agent takes a chat, replies and ends it with `e`; in the wrap-up, ctrl+g asks for more time and the
countdown grows past the queue's whole time box; `n` asks for a break, shown queued as the next state while the wrap-up
stays open; ctrl+s saves it and the break is taken then. Read from the servers, not the desk: the contact center's
contact, as a supervisor reads it, holds the extension and who ended the chat, and the CRM's interaction says the
agent ended it."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

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
CRM = {"Authorization": "Bearer demo-crm-token"}
REPLY = "Refunded the second charge; it shows in 3 days."
TIMEOUT_S, EXTENSION_S = 40, 120  # the time box, and one extension far past it: apart whatever the machine's pace


def closes_in(term: TmuxTerminal) -> int:
    """The wrap-up form's countdown ("closes in 2:38"), in seconds; -1 when none is on screen."""
    found = re.search(r"closes in (\d+):(\d\d)", term.text())
    return -1 if found is None else int(found[1]) * 60 + int(found[2])


def wait_countdown_over(term: TmuxTerminal, seconds: int, timeout_s: float = 10.0) -> int:
    deadline = time.monotonic() + timeout_s
    while (left := closes_in(term)) <= seconds:
        assert time.monotonic() < deadline, f"the countdown never passed {seconds} s:\n{term.text()}"
        time.sleep(0.05)
    return left


def interactions_of(servers: Servers, contact_id: str, timeout_s: float = 20.0) -> list[dict[str, Any]]:
    """What the CRM holds for the contact, once the desk's outbox has written it (bounded)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = httpx.get(
            f"{servers.crm_url}/v1/interactions", params={"contact_id": contact_id}, headers=CRM, timeout=5
        )
        found.raise_for_status()
        if found.json() or time.monotonic() > deadline:
            return list(found.json())
        time.sleep(0.1)


def test_more_time_then_a_break_queued_until_saved_and_who_ended_the_chat(tmp_path: Path, servers: Servers) -> None:
    rule = {
        "mode": "time_boxed",
        "timeout_s": TIMEOUT_S,
        "extension_s": EXTENSION_S,
        "max_extensions": 1,
        "default_disposition": "Resolved",
    }
    httpx.patch(
        f"{servers.ccaas_url}/v1/queues/billing", json={"wrap_up": {"chat": rule}}, headers=SUPERVISOR, timeout=5
    ).raise_for_status()
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        available(term)
        placed = httpx.post(
            f"{servers.ccaas_url}/v1/contacts",
            json={"queue_id": "billing", "channel": "chat", "from_address": "ann@example.com", "subject": "Charged"},
            headers=SUPERVISOR,
            timeout=5,
        )
        placed.raise_for_status()
        contact_id = placed.json()["id"]
        term.wait_for("s left")
        term.send("a")
        term.wait_for("ann@example.com  in Billing")
        term.type(REPLY)  # the composer has the keys once the chat is accepted
        term.wait_for(REPLY[:30])
        term.send("Enter")
        term.wait_for("✓✓")  # sent and read: the customer waits on nobody
        term.send("Escape")
        term.wait_for("e End", timeout_s=10)
        term.send("e")
        term.wait_for("ended by you", timeout_s=10)
        term.wait_for(f"+{EXTENSION_S // 60}:00 on request (1 left)", timeout_s=10)
        assert 0 <= closes_in(term) <= TIMEOUT_S, term.text()

        term.send("C-g")  # more time, within the queue's rule
        term.wait_for(f"{EXTENSION_S // 60}:00 more granted: the last the queue allows.", timeout_s=10)
        wait_countdown_over(term, TIMEOUT_S)  # longer than the whole time box: the extension is on the clock

        term.send("n")  # a break asked for during the wrap-up
        term.wait_for("Not ready — why?", timeout_s=10)
        term.send("Enter")
        term.wait_for("next: Not ready — Break", timeout_s=10)
        screen = term.text()
        assert "● After contact work" in screen, f"the wrap-up goes on, the break waits:\n{screen}"
        assert "Contact ann@example.com  in Billing" in screen, f"the wrap-up form still open:\n{screen}"
        contact = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact_id}", headers=SUPERVISOR, timeout=5).json()
        assert contact["state"] == "after_contact_work", "a state asked for never ends the wrap-up"

        term.send("w", "Enter", "Down", "Enter", "C-s")  # a disposition, then saved
        term.wait_for("● Not ready — Break", timeout_s=15)  # the queued break, taken once saved
        assert "next: Not ready" not in term.text(), term.text()
        # read while the desk runs: its outbox writes the wrap-up in the background (a desk closed first keeps it
        # for its next start, and this run's CRM would never see it)
        written = interactions_of(servers, contact_id)

    contact = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact_id}", headers=SUPERVISOR, timeout=5).json()
    assert contact["state"] == "completed", contact
    assert contact["acw_extensions"] == 1, "the supervisor reads the extension granted on the contact"
    assert contact["ended_by"] == "agent", contact
    assert [i["ended_by"] for i in written] == ["agent"], "who ended it, in the CRM"
