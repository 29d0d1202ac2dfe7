"""`agent-desktop serve`'s sessions as a browser drives them, without a browser: a websocket client on a served desk on
127.0.0.1. A session that ends (the tab closed, the server killed) leaves its agent Offline and no desk running;
sessions are capped; what a browser sends cannot crash a desk or print a traceback; every answer forbids framing and
the page loads nothing from another host.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
from tests.e2e.test_quit_on_signal import desktop_config
from tests.support.browser_desk import serving_desks
from tests.support.served_session import alive, desk_processes, desk_socket

pytestmark = pytest.mark.heavy  # desk processes started by a server: run alone (exclusive)
AGENT = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
CARD = "4111 1111 1111 1111"


def agent_state(servers) -> str:
    return httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001", headers=AGENT, timeout=5).json()["state"]


async def until(what: str, check, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout_s:.0f} s"
        await asyncio.sleep(0.1)


async def go_available(session, servers) -> None:
    await session.wait_for(b"Offline")
    await session.type("v")
    await until("the agent became Available", lambda: agent_state(servers) == "available")


async def test_closing_the_tab_signs_the_agent_out_and_ends_its_desk(tmp_path, servers):
    config = desktop_config(tmp_path, servers)
    with serving_desks(tmp_path, "--config", str(config)) as served:
        async with desk_socket(served.url) as session:
            await go_available(session, servers)
            desks = desk_processes(served.process.pid)
            assert desks, "no desk process for the session"
        # the tab is closed
        await until("the agent is Offline", lambda: agent_state(servers) == "offline")
        await until("no desk process is left", lambda: not any(alive(pid) for pid in desks))
        assert "Traceback" not in served.console()


@pytest.mark.parametrize("how", ["serve killed", "desk hung up"])
async def test_a_desk_whose_session_is_gone_signs_its_agent_out(tmp_path, servers, how):
    """The server killed outright (its desks' input ends), or a desk sent SIGHUP: the agent is Offline, the desk ends."""
    config = desktop_config(tmp_path, servers)
    with serving_desks(tmp_path, "--config", str(config)) as served:
        async with desk_socket(served.url) as session:
            await go_available(session, servers)
            desks = desk_processes(served.process.pid)
            if how == "serve killed":
                served.process.kill()
            else:
                for pid in desks:
                    os.kill(pid, signal.SIGHUP)
            await until("the agent is Offline", lambda: agent_state(servers) == "offline")
            await until("no desk process is left", lambda: not any(alive(pid) for pid in desks))
