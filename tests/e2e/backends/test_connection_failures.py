"""A desktop that cannot connect says what failed and where, and stops at start-up when retrying cannot help.

Real mock servers on loopback for a wrong token and an unknown agent; a closed port; a listening socket
that takes connections and never answers (what a black-holed service looks like from the client).
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.presence import HttpPresenceDirectory
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.config import BackendConfig, Settings, SupervisorConfig
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN
from tests.conftest import Servers
from tests.support.desk_app import desk_app
from tests.support.desktop_command import run_agent_desktop
from tests.support.scenes.scenes import SIZE, screen_text, wait_until


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        answer: int = sock.getsockname()[1]
        return answer


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Listens (the kernel completes the handshake) but never reads nor answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


async def first_failure(backend: HttpContactCenter | HttpPresenceDirectory, within_s: float = 15) -> LinkStatus:
    stream = backend.events()
    try:
        async with asyncio.timeout(within_s):
            async for item in stream:
                if isinstance(item, LinkStatus) and not item.connected:
                    return item
    finally:
        assert inspect.isasyncgen(stream)  # the client's stream, a generator to close
        await stream.aclose()
        await backend.aclose()
    raise AssertionError("the stream ended")


async def test_a_closed_port_is_refused_at_its_address() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    status = await first_failure(HttpContactCenter(url, DEMO_AGENT_TOKEN, "agent-001"))
    assert (status.detail, status.url, status.refused) == ("refused", url, False)
    assert status.retry_s is not None
    assert status.retry_s <= 5  # retrying can help: soon


async def test_a_server_that_never_answers_is_timed_out_within_the_timeout(silent_server: str) -> None:
    started = asyncio.get_running_loop().time()
    status = await first_failure(HttpContactCenter(silent_server, DEMO_AGENT_TOKEN, "agent-001", timeout_s=1))
    assert status.detail.startswith("timed out"), status
    assert silent_server in status.url
    assert asyncio.get_running_loop().time() - started < 5  # not the 35 s heartbeat timeout


async def test_a_wrong_token_is_401_token_refused(ccaas_url: str) -> None:
    status = await first_failure(HttpContactCenter(ccaas_url, "not-a-token", "agent-001"))
    assert status.detail == "401 token refused"
    assert status.url == f"{ccaas_url}/v1/agents/agent-001/events"
    assert status.refused
    assert status.retry_s == 30


async def test_an_unknown_agent_is_404_no_such_agent(ccaas_url: str) -> None:
    status = await first_failure(HttpContactCenter(ccaas_url, DEMO_SUPERVISOR_TOKEN, "agent-999"))
    assert status.detail == "404 no such agent"
    assert status.url == f"{ccaas_url}/v1/agents/agent-999/events"


async def test_the_presence_link_says_the_same(presence_url: str) -> None:
    status = await first_failure(HttpPresenceDirectory(presence_url, "not-a-token"))
    assert (status.detail, status.url) == ("401 token refused", f"{presence_url}/v1/presence/events")


def _settings(tmp_path: Path, ccaas_url: str, token: str = DEMO_AGENT_TOKEN) -> Settings:
    closed = f"http://127.0.0.1:{closed_port()}"
    settings = demo_settings(ccaas_url, closed, closed, outbox_path=tmp_path / "outbox.db")
    return settings.model_copy(update={"ccaas": BackendConfig(base_url=ccaas_url, token=token)})


async def test_the_status_line_says_what_failed_and_where(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    app = desk_app(build_backends(_settings(tmp_path, url)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "refused at" in screen_text(pilot, "#agent-status"), "the reason")
        line = screen_text(pilot, "#agent-status")
        assert f"contact center ✕ refused at {url} — reconnecting" in line, line


async def test_the_status_line_says_a_refused_token_will_not_heal_by_itself(tmp_path: Path, ccaas_url: str) -> None:
    app = desk_app(build_backends(_settings(tmp_path, ccaas_url, token="not-a-token")))
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_until(pilot, lambda: "401" in screen_text(pilot, "#agent-status"), "the reason")
        line = screen_text(pilot, "#agent-status")
        assert f"401 token refused at {ccaas_url}/v1/agents/agent-001/events — check the configuration" in line, line


# --- start-up: the real command --------------------------------------------------------------------


def _config(servers: Servers, **changes: str) -> str:
    values = {
        "agent_id": "agent-001",
        "ccaas_token": DEMO_AGENT_TOKEN,
        "crm_token": "demo-crm-token",
        "presence_token": "demo-presence-token",
    } | changes
    return (
        f'agent_id = "{values["agent_id"]}"\n'
        f'[ccaas]\nbase_url = "{servers.ccaas_url}"\ntoken = "{values["ccaas_token"]}"\n'
        f'[crm]\nbase_url = "{servers.crm_url}"\ntoken = "{values["crm_token"]}"\n'
        f'[presence]\nbase_url = "{servers.presence_url}"\ntoken = "{values["presence_token"]}"\n'
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ccaas_token": "wrong"}, "agent-desktop: ccaas.token: the contact center at {ccaas} refused the token (401)"),
        (
            {"ccaas_token": DEMO_SUPERVISOR_TOKEN, "agent_id": "agent-999"},
            "agent-desktop: agent_id: the contact center at {ccaas} has no agent agent-999 (404)",
        ),
        (
            {"agent_id": "agent-002"},
            "agent-desktop: agent_id: the contact center at {ccaas} refused this token for agent-002 (403",
        ),
        ({"crm_token": "wrong"}, "agent-desktop: crm.token: the CRM at {crm} refused the token (401)"),
        (
            {"presence_token": "wrong"},
            "agent-desktop: presence.token: the presence service at {presence} refused the token (401)",
        ),
    ],
    ids=["ccaas-token", "unknown-agent", "another-agents-id", "crm-token", "presence-token"],
)
def test_at_start_up_a_refusal_stops_with_one_line_and_exit_2(
    tmp_path: Path, servers: Servers, changes: dict[str, str], expected: str
) -> None:
    result = _agent_desktop(tmp_path, _config(servers, **changes))
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stderr.count("\n") == 1, result.stderr[-2000:]
    want = expected.format(ccaas=servers.ccaas_url, crm=servers.crm_url, presence=servers.presence_url)
    assert result.stderr.startswith(want), result.stderr


def _agent_desktop(tmp_path: Path, config: str) -> subprocess.CompletedProcess[str]:
    """The real `agent-desktop run` with this configuration (top-level keys first, then its sections)."""
    path = tmp_path / "desktop.toml"
    path.write_text(f'outbox_path = "{tmp_path / "outbox.db"}"\n' + config)
    return run_agent_desktop(tmp_path, "run", "--config", str(path))


async def test_the_supervisor_line_says_what_failed_and_where(tmp_path: Path, ccaas_url: str) -> None:
    """The supervisor's floor line says the same words as the agent's: what failed, where, what happens next."""
    from tests.support.scenes.supervisor_scene import status

    url = f"http://127.0.0.1:{closed_port()}"
    settings = _settings(tmp_path, url)
    app = desk_app(build_backends(settings, supervisor=True), desks=("supervisor",))
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_until(pilot, lambda: "refused at" in status(pilot), "the reason")
        assert f"contact center ✕ refused at {url} — reconnecting" in status(pilot), status(pilot)

    refused = settings.model_copy(
        update={
            "ccaas": BackendConfig(base_url=ccaas_url, token=DEMO_AGENT_TOKEN),
            "supervisor": SupervisorConfig(token="not-a-token"),
        }
    )
    app = desk_app(build_backends(refused, supervisor=True), desks=("supervisor",))
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_until(pilot, lambda: "401" in status(pilot), "the reason")
        assert "401 token refused at " in status(pilot), status(pilot)
        assert "— check the configuration" in status(pilot), status(pilot)
