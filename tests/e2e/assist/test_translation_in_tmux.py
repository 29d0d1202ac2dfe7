"""Translation both ways end to end: the desk as its own process (`agent-desktop run` in tmux) against the mock servers
and the mock model server over HTTP, configured by its `[assist]` section. A chat from the demo's Spanish-speaking
customer is read in English (f4 shows the Spanish); the agent's English reply is shown in Spanish before it goes, and
the second enter sends the Spanish: the contact center's transcript holds what the customer received, in Spanish, and
the customer's Spanish answer is read in English in turn. Ended and wrapped up, the CRM's transcript holds both
languages of the customer's message and of the reply."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.demo_people import caller_at
from agent_desktop_mocks.model.settings import DEMO_MODEL, DEMO_MODEL_KEY
from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import available
from tests.e2e.attention.test_wrap_up_burst_in_tmux import CRM, wait_written
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.model_server import RunningModel, model_server
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

pytestmark = pytest.mark.tmux
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
REPLY = "I have refunded the duplicate charge today."
REPLY_IN_SPANISH = "Hoy he reembolsado el cargo duplicado."


@pytest.fixture
def model() -> Iterator[RunningModel]:
    with model_server(first_token_s=0.0, token_s=0.0) as running:
        yield running


def spanish_speaker(servers: Servers) -> str:
    """The email of the first caller the CRM knows as a Spanish speaker."""
    settings = servers.settings
    index = next(i for i in range(settings.customers) if caller_at(settings.seed, i).language == "es")
    return caller_at(settings.seed, index).email


def customer_received(servers: Servers, contact_id: str) -> list[str]:
    """What the agent's side sent the customer, as the contact center holds it."""
    answer = httpx.get(
        f"{servers.ccaas_url}/v1/contacts/{contact_id}/messages", params={"limit": 50}, headers=SUPERVISOR, timeout=5
    )
    answer.raise_for_status()
    items: list[dict[str, Any]] = answer.json()["items"]
    return [item["text"] for item in items if item["role"] == "agent" and item.get("kind", "message") == "message"]


def test_a_spanish_chat_is_read_and_answered_in_english_through_the_desks_own_process(
    tmp_path: Path, servers: Servers, model: RunningModel
) -> None:
    config = desktop_config(tmp_path, servers)
    with config.open("a") as file:
        file.write(f'[assist]\nbase_url = "{model.url}"\nmodel = "{DEMO_MODEL}"\n')
    env = desktop_environment(tmp_path, DESKTOP_ASSIST__API_KEY=DEMO_MODEL_KEY)
    with TmuxTerminal([AGENT_DESKTOP, "run", "--config", str(config)], env=env) as term:
        available(term)
        placed = httpx.post(
            f"{servers.ccaas_url}/v1/contacts",
            json={"queue_id": "billing", "channel": "chat", "from_address": spanish_speaker(servers),
                  "subject": "Charged twice"},
            headers=SUPERVISOR,
            timeout=5,
        )  # fmt: skip
        placed.raise_for_status()
        contact_id = placed.json()["id"]
        term.wait_for("s left")
        term.send("a")
        term.wait_for("I was charged twice this month.", timeout_s=30)
        term.wait_for("translated from Spanish")
        assert "Me cobraron" not in term.text(), "the agent reads the translation"

        term.send("F4")
        term.wait_for("Me cobraron dos veces este mes.")
        term.send("F4")
        term.wait_for("I was charged twice this month.")

        term.type(REPLY)  # (the composer has the keys since the chat was accepted)
        term.wait_for(REPLY[:30])
        term.send("Enter")
        term.wait_for(REPLY_IN_SPANISH, timeout_s=30)
        assert customer_received(servers, contact_id) == [], "nothing sent before the second enter"
        term.send("Enter")
        deadline = time.monotonic() + 20
        while customer_received(servers, contact_id) != [REPLY_IN_SPANISH]:
            assert time.monotonic() < deadline, f"the customer never received the Spanish:\n{term.text()}"
            time.sleep(0.1)
        # The customer answers in Spanish ("Sí, por favor."), read in English.
        term.wait_for("Yes, please.", timeout_s=40)

        term.send("Escape")
        term.wait_for("e End", timeout_s=10)
        term.send("e")
        term.wait_for("End while the customer waits?", timeout_s=10)  # they wrote last
        term.send("C-e")
        term.wait_for("Drafted by mock-grounded", timeout_s=30)
        term.send("C-s")
        interaction = wait_written(servers, contact_id, term)

    whole = httpx.get(f"{servers.crm_url}/v1/interactions/{interaction['id']}", headers=CRM, timeout=5).json()
    crm = "\n".join(line["text"] for line in whole["transcript"])
    for text in ("Me cobraron dos veces este mes.", "I was charged twice this month.", REPLY_IN_SPANISH, REPLY):
        assert text in crm, f"the CRM keeps both languages: {text!r} not in\n{crm}"

    translating = [body for body in model.received() if "<<<translate " in body["messages"][-1]["content"]]
    assert len(translating) >= 3, "their opening, the agent's reply and their answer went to the model"
