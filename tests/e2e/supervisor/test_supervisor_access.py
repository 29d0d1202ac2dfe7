"""Supervisor mode and supervisor actions are a supervisor's: an agent's token is refused (403)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import pytest

from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import AgentState


@pytest.fixture
async def as_agent(ccaas_url: str) -> AsyncIterator[HttpSupervisorConsole]:
    console = HttpSupervisorConsole(ccaas_url, "demo-agent-token")
    yield console
    await console.aclose()


@pytest.fixture
async def as_supervisor(ccaas_url: str) -> AsyncIterator[HttpSupervisorConsole]:
    console = HttpSupervisorConsole(ccaas_url, "demo-supervisor-token")
    yield console
    await console.aclose()


async def refused(action: Awaitable[object]) -> BackendError:
    with pytest.raises(BackendError) as caught:
        await action
    assert caught.value.status == 403, caught.value.message
    return caught.value


async def test_an_agent_token_cannot_act_as_supervisor(
    as_agent: HttpSupervisorConsole, as_supervisor: HttpSupervisorConsole
) -> None:
    # The supervisor API also puts contacts in queues (tests and demos).
    queued = (
        await as_supervisor._request(
            "POST", "/v1/contacts", json={"queue_id": "billing", "channel": "voice", "from_address": "+12125550123"}
        )
    ).json()
    await refused(as_agent.check_access())
    await refused(as_agent.list_agents())
    await refused(as_agent.move_contact(queued["id"], "sales"))
    await refused(as_agent.set_queue_priority("billing", 5))
    await refused(as_agent.set_agent_state("agent-003", AgentState.OFFLINE))  # another agent
    await refused(as_agent.waiting_contacts("billing"))
    await refused(as_agent.agent_contacts_today("agent-003"))
    # Nothing changed: the same calls with the supervisor's token find the world as it was, then change it.
    assert [c.id for c in await as_supervisor.waiting_contacts("billing")] == [queued["id"]]
    assert {q.id: q.priority for q in await as_supervisor.list_queues()}["billing"] != 5
    moved = await as_supervisor.move_contact(queued["id"], "sales")
    assert moved.queue_id == "sales"
    assert (await as_supervisor.set_queue_priority("billing", 5)).priority == 5


async def test_supervisor_console_parses_what_the_server_sends(as_supervisor: HttpSupervisorConsole) -> None:
    await as_supervisor.check_access()
    agents = await as_supervisor.list_agents()
    assert {a.agent.id for a in agents} >= {"agent-001", "agent-002"}
    stats = await as_supervisor.queue_stats("30m")
    assert {s.queue_id for s in stats} == {q.id for q in await as_supervisor.list_queues()}
    assert all(s.window == "30m" and s.service_level_target_pct for s in stats)
    assert isinstance(await as_supervisor.stats_history(30), list)


def test_the_supervisor_command_refuses_an_agent_token(ccaas_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[ccaas]\nbase_url = "{ccaas_url}"\ntoken = "demo-agent-token"\n')
    result = subprocess.run(
        [sys.executable, "-m", "agent_desktop", "supervisor", "--config", str(config), "--token", "demo-agent-token"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("agent-desktop: supervisor: the contact center refused this token (403")


@pytest.mark.tmux
def test_the_supervisor_command_opens_with_a_supervisor_token(ccaas_url: str) -> None:
    from pathlib import Path

    from tests.support.scenes.tmux_terminal import TmuxTerminal

    command = [str(Path(sys.executable).parent / "agent-desktop"), "supervisor"]
    with TmuxTerminal(
        command, env={"DESKTOP_CCAAS__BASE_URL": ccaas_url}
    ) as term:  # the default token is the demo supervisor's
        term.wait_for("Queues — last 30 minutes", timeout_s=30)
        term.wait_for("contact center ●", timeout_s=15)
        term.wait_for("Alex Morgan", timeout_s=15)  # the floor is on screen
        term.send("C-q")
        term.wait_exit()
