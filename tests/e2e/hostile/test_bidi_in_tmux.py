"""A customer named with a right-to-left override, popped in the real `agent-desktop` in a real terminal
(tmux): the override never reaches the terminal, and the agent sees where it was.

What is read is tmux's own copy of the screen with escape sequences (`capture-pane -p -e`): tmux keeps
zero-width and bidi characters in its cells (3.3a does), so an override the desktop wrote would be there.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.conftest import Servers
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux

NAME = "user\u202eexe.txt Mal\u200blory\ufeff"  # an override never closed, a zero-width space, a BOM
SHOWN = "user⟨U+202E⟩exe.txt Mallory"
INVISIBLE = ("\u202e", "\u200b", "\ufeff")


def test_a_bidi_override_in_a_customer_name_does_not_reach_the_terminal(tmp_path: Path, servers: Servers) -> None:
    crm = httpx.post(
        f"{servers.crm_url}/v1/customers",
        json={"name": NAME, "phones": ["+1 808 555 0177"], "emails": []},
        headers={"Authorization": "Bearer demo-crm-token"},
        timeout=5,
    )
    assert crm.status_code == 201, crm.text
    config = desktop_config(tmp_path, servers)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=desktop_environment(tmp_path)) as term:
        term.wait_for("Offline", timeout_s=30)
        term.send("v")
        term.wait_for("● Available")
        call = httpx.post(
            f"{servers.ccaas_url}/v1/contacts",
            json={"queue_id": "billing", "channel": "voice", "from_address": "+18085550177"},
            headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
            timeout=5,
        )
        call.raise_for_status()
        term.wait_for(SHOWN)  # the screen pop: the offer and the customer card
        term.send("a")
        term.wait_for("Connected")
        raw = term.raw()
        assert SHOWN in raw or SHOWN in term.text()
        assert not [ch for ch in INVISIBLE if ch in raw], f"reached the terminal: {raw!r}"
        term.send("C-q")
