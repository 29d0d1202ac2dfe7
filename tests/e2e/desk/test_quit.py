"""Quitting takes the agent off routing at the real contact center, and asks first with contacts in hand."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.shared.quit_dialog import QuitDialog
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN
from tests.conftest import Servers
from tests.support.desk_app import desk_app
from tests.support.scenes.scenes import SIZE, accept, go_available, screen_text, wait_until

AGENT = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}


def _app(servers: Servers, tmp_path: Path) -> AgentDesktopApp:
    settings = demo_settings(
        servers.ccaas_url, servers.crm_url, servers.presence_url, outbox_path=tmp_path / "outbox.db"
    )
    return desk_app(build_backends(settings))


def _agent(servers: Servers) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001", headers=AGENT, timeout=5).json()
    return answer


def _call(servers: Servers, channel: str = "voice", from_address: str = "+12125550100") -> dict[str, Any]:
    body = {"queue_id": "billing", "channel": channel, "from_address": from_address}
    response = httpx.post(f"{servers.ccaas_url}/v1/contacts", json=body, headers=SUPERVISOR, timeout=5)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


async def _exited(pilot: Pilot[None], app: AgentDesktopApp) -> None:
    for _ in range(200):
        if app.return_code is not None or not app.is_running:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the desktop did not quit; it shows {screen_text(pilot, '#agent-status')}")


async def test_quitting_with_a_call_connected_asks_first_and_leaves_the_agent_unroutable(
    servers: Servers, tmp_path: Path
) -> None:
    app = _app(servers, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        _call(servers)
        await wait_until(pilot, lambda: "(212) 555-0100" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)

        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, QuitDialog), "the question")
        assert "1 contact in hand" in str(app.screen.query_one("#quit-text").render())
        await pilot.press("n")  # stay
        await wait_until(pilot, lambda: not isinstance(app.screen, QuitDialog), "the desktop again")
        assert app.is_running
        assert _agent(servers)["next_state"] is None

        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, QuitDialog), "the question again")
        await pilot.press("y")
        await _exited(pilot, app)
    assert app.return_code == 0

    agent = _agent(servers)
    # The CCaaS refuses Offline with a call in hand: Offline is the next state, and no offer comes meanwhile.
    assert agent["state"] == "busy"
    assert agent["next_state"]["state"] == "offline"
    _call(servers, channel="chat", from_address="chat@example.com")
    await asyncio.sleep(0.5)
    assert httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/offers", headers=AGENT, timeout=5).json() == []

    # When the call is wrapped up (here by the agent's API, as the desktop opened again would), they are Offline.
    contact = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/contacts", headers=AGENT, timeout=5).json()[0]
    httpx.post(f"{servers.ccaas_url}/v1/contacts/{contact['id']}/end", headers=AGENT, timeout=5).raise_for_status()
    httpx.post(
        f"{servers.ccaas_url}/v1/contacts/{contact['id']}/complete",
        json={"disposition": "Resolved"},
        headers=AGENT,
        timeout=5,
    ).raise_for_status()
    assert _agent(servers)["state"] == "offline"


async def test_quitting_with_nothing_in_hand_sets_the_agent_offline_at_once(servers: Servers, tmp_path: Path) -> None:
    app = _app(servers, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        assert _agent(servers)["state"] == "available"
        await pilot.press("ctrl+q")
        await _exited(pilot, app)
        assert not isinstance(app.screen, QuitDialog)
    assert _agent(servers)["state"] == "offline"


async def test_quitting_with_an_offer_pending_sends_it_back_to_the_queue(servers: Servers, tmp_path: Path) -> None:
    app = _app(servers, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        contact = _call(servers)
        await wait_until(pilot, lambda: "(212) 555-0100" in screen_text(pilot, "#offer"), "the offer")
        await pilot.press("ctrl+q")
        await _exited(pilot, app)
    assert _agent(servers)["state"] == "offline"
    contact = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact['id']}", headers=SUPERVISOR, timeout=5).json()
    assert contact["state"] == "queued"


async def test_a_configured_quit_state_is_used(servers: Servers, tmp_path: Path) -> None:
    from agent_desktop.domain.models import AgentState

    settings = demo_settings(servers.ccaas_url, servers.crm_url, servers.presence_url, outbox_path=tmp_path / "o.db")
    app = desk_app(build_backends(settings), quit_state=AgentState.NOT_READY, quit_reason="Break")
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        await pilot.press("ctrl+q")
        await _exited(pilot, app)
    agent = _agent(servers)
    assert (agent["state"], agent["reason"]) == ("not_ready", "Break")


async def test_quitting_when_the_contact_center_is_gone_says_so_and_still_quits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = desk_app(build_backends(demo_settings(closed, closed, closed, outbox_path=tmp_path / "o.db")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("ctrl+q")
        await _exited(pilot, app)
    assert app.return_code == 1
    message = " ".join(capsys.readouterr().err.split())
    assert "could not set you Offline at the contact center" in message
    assert "refused" in message
