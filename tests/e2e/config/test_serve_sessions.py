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
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
from tests.conftest import Servers
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.browser_desk import serving_desks
from tests.support.served_session import DeskSocket, alive, desk_processes, desk_socket, handshake_status

pytestmark = pytest.mark.heavy  # desk processes started by a server: run alone (exclusive)
AGENT = {"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
CARD = "4111 1111 1111 1111"


def agent_state(servers: Servers) -> str:
    answer: str = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001", headers=AGENT, timeout=5).json()["state"]
    return answer


async def until(what: str, check: Callable[[], object], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout_s:.0f} s"
        await asyncio.sleep(0.1)


async def go_available(session: DeskSocket, servers: Servers) -> None:
    await session.wait_for(b"Offline")
    await session.type("v")
    await until("the agent became Available", lambda: agent_state(servers) == "available")


async def test_closing_the_tab_signs_the_agent_out_and_ends_its_desk(tmp_path: Path, servers: Servers) -> None:
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
async def test_a_desk_whose_session_is_gone_signs_its_agent_out(tmp_path: Path, servers: Servers, how: str) -> None:
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


async def test_a_tab_closed_while_its_desk_starts_leaves_no_crash_and_no_desk(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    with serving_desks(tmp_path, "--config", str(config), "--max-sessions", "8") as served:
        desks: list[int] = []
        for wait_s in (0.0, 0.3, 0.8, 1.5):  # closed at different points of the desk's start
            async with desk_socket(served.url):
                await asyncio.sleep(wait_s)
                desks += desk_processes(served.process.pid)
        await until("no desk process is left", lambda: not any(alive(pid) for pid in desks))
        console = served.console()
        assert "Traceback" not in console, console[-3000:]
        assert "Error" not in console, console[-3000:]
        assert agent_state(servers) == "offline"


async def test_a_malformed_message_is_ignored_without_a_traceback(tmp_path: Path, servers: Servers) -> None:
    """What a browser (or any local program) sends cannot end the session, nor print the server's locals."""
    config = desktop_config(tmp_path, servers)
    with serving_desks(tmp_path, "--config", str(config)) as served:
        async with desk_socket(served.url) as session:
            await session.wait_for(b"Offline")
            for garbage in (
                f'{{"card": "{CARD}"',
                "[]",
                '{"stdin": 1}',
                '["stdin", 5]',
                '["resize", {}]',
                '["resize", {"width": "x", "height": 2}]',
                f'"{CARD}"',
                '["ping"]',
                "null",
            ):
                await session.websocket.send_str(garbage)
            await session.websocket.send_bytes(b"\xff\xfe")
            await session.ping()  # still read and answered
            await session.type("v")
            await until("the desk still takes keys", lambda: agent_state(servers) == "available")
        console = served.console()
        assert "Traceback" not in console, console[-3000:]
        assert CARD not in console, console[-3000:]
        assert "malformed" in console  # said on the console, in one line without the message


async def test_sessions_are_capped_and_the_refusal_says_why(tmp_path: Path, servers: Servers) -> None:
    config = desktop_config(tmp_path, servers)
    with serving_desks(tmp_path, "--config", str(config), "--max-sessions", "2") as served:
        async with desk_socket(served.url), desk_socket(served.url):
            status, reason = handshake_status(served.url)
            assert status == 429
            assert "2 desks open" in reason
            assert "--max-sessions" in reason
            # The handshake is answered before the session's desk is started: each is waited for.
            await until("a desk for each session", lambda: len(desk_processes(served.process.pid)) >= 2)
            assert len(desk_processes(served.process.pid)) == 2  # one process a session, no shell beside it
        await until("the sessions' desks ended", lambda: not desk_processes(served.process.pid))
        status, _ = handshake_status(served.url)
        assert status == 101  # a closed session frees its place
        assert "refused a session" in served.console()


def test_every_answer_forbids_framing_and_the_page_loads_nothing_from_elsewhere(
    tmp_path: Path, servers: Servers
) -> None:
    config = desktop_config(tmp_path, servers)
    with serving_desks(tmp_path, "--config", str(config)) as served:
        url = served.url
        page = httpx.get(url, timeout=5)
        answers = [
            page,
            httpx.get(f"{url}static/js/textual.js", timeout=5),
            httpx.get(f"{url}static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=5),
            httpx.get(f"{url}no-such-page", timeout=5),
            httpx.get(f"{url}ws", headers={"Origin": "http://evil.example"}, timeout=5),  # refused: 403
        ]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 404, 403]
        for answer in answers:
            assert answer.headers["X-Frame-Options"] == "DENY", answer.url
            policy = answer.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in policy, answer.url
            assert "default-src 'self'" in policy, answer.url
        assert "googleapis" not in page.text
        assert "https://" not in page.text  # fonts from this server
        assert "fonts/RobotoMono" in page.text
