"""A wrap-up typed in one burst through the disposition list, in a real terminal (tmux) on the mock servers:
each flow is one `send-keys`, so the desk gets its keys in one read, before it has handled the first. Seen
before: `e ctrl+o escal enter Notes typed fast` lost the enter and put the notes in the list's search; `e enter resol
enter Notes…` picked the disposition and then ran the notes' letters as desk keys (`o` the outbox, `t` a transfer
dialog, an "End contact: 409" notice). Nothing reached the CRM. Now the CRM gets the disposition and the notes, as the
agent typed them (tests/ui/wrap_up/test_wrap_up_in_one_read.py feeds the same bytes through the desk's parser)."""

from __future__ import annotations

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
NOTES = "Notes typed fast"
CRM = {"Authorization": "Bearer demo-crm-token"}


def place_call(servers: Servers, address: str) -> str:
    """A call into the billing queue; its contact id."""
    call = httpx.post(
        f"{servers.ccaas_url}/v1/contacts",
        json={"queue_id": "billing", "channel": "voice", "from_address": address, "subject": "Charged twice"},
        headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
        timeout=5,
    )
    call.raise_for_status()
    contact_id: str = call.json()["id"]
    return contact_id


def written(servers: Servers, contact_id: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{servers.crm_url}/v1/interactions", params={"contact_id": contact_id}, headers=CRM, timeout=5)
    answer.raise_for_status()
    found: list[dict[str, Any]] = answer.json()
    return found


def wait_written(servers: Servers, contact_id: str, term: TmuxTerminal, timeout_s: float = 20.0) -> dict[str, Any]:
    """The wrap-up the CRM received for the contact (the outbox sends it in the background); bounded."""
    deadline = time.monotonic() + timeout_s
    while not (found := written(servers, contact_id)):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing reached the CRM for {contact_id}:\n{term.text()}{term.stacks()}")
        time.sleep(0.1)
    (interaction,) = found
    return interaction


@pytest.mark.parametrize(
    ("keys", "disposition"),
    [(("e", "C-o", "escal", "Enter"), "Escalated"), (("e", "Enter", "resol", "Enter"), "Resolved")],
    ids=["ctrl+o's list", "enter on the disposition"],
)
def test_a_wrap_up_typed_in_one_burst_reaches_the_crm(
    tmp_path: Path, servers: Servers, keys: tuple[str, ...], disposition: str
) -> None:
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        available(term)
        contact_id = place_call(servers, "+12125550111")
        term.wait_for("s left")
        term.send("a")
        term.wait_for("Connected")
        term.send_together(*keys, NOTES, "C-s")  # one write to the terminal: the desk reads it at once
        interaction = wait_written(servers, contact_id, term)
        assert (interaction["disposition"], interaction["notes"]) == (disposition, NOTES), term.text()
        screen = term.text()
        assert "does nothing" not in screen, screen
        assert "409" not in screen, screen
    assert "Traceback" not in term.text()
