"""`agent-desktop remote` against a running desk (in process, its socket real), and the socket's privacy: a process
of another user cannot reach it, and the desk refuses a peer whose uid is not its user's even when the file
permissions would let it in (root)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from agent_desktop.remote.server import RemoteServer
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import loaded, scene_mocks, wait_until
from tests.support.remote_hands import NoHands


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks")
    try:
        yield running
    finally:
        await running.aclose()


@pytest.fixture
def socket_path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="rc") as folder:  # (a socket's path stays under 108 bytes)
        yield Path(folder) / "remote" / "desk.sock"


async def remote(*words: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "agent_desktop",
        "remote",
        *words,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_command_line_reads_the_desk_runs_its_commands_and_says_why_not(
    mocks: InProcessMocks, socket_path: Path
) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now, remote_socket=socket_path)
    at = ("--socket", str(socket_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: app.remote.server is not None, "the remote control")

        code, out, _ = await remote("state", "--json", *at)
        assert code == 0, out
        assert json.loads(out)["agent"]["state"] == "offline", out
        code, out, _ = await remote("commands", *at)
        assert code == 0, out
        assert "desk.accept" in out, out
        assert "only when a contact is offered" in out, out

        code, _, err = await remote("run", "desk.accept", *at)
        assert code == 1, err
        assert "a contact is offered" in err, err  # the help screen's words, exit 1
        code, _, _ = await remote("run", "desk.go_available", *at)
        assert code == 0
        await wait_until(pilot, lambda: "Available" in str(app.screen.query_one("#agent-status").render()), "Available")
        code, out, _ = await remote("state", *at)
        assert code == 0, out
        assert out.splitlines()[0].endswith(": Available"), out  # as the status line says it

        code, _, err = await remote("press", *at)
        assert code == 2
        assert "name the keys" in err


async def test_the_command_line_says_when_no_desk_answers(socket_path: Path) -> None:
    code, _, err = await remote("state", "--socket", str(socket_path))
    assert code == 2, err
    assert "no desk is running" in err, err


CONNECT = "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); print(s.recv(200).decode())"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
async def test_another_users_process_cannot_reach_the_socket(socket_path: Path) -> None:
    server = RemoteServer(NoHands(), socket_path)
    await server.start()
    try:
        other = await asyncio.create_subprocess_exec(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/usr/bin/python3",
            "-c",
            CONNECT,
            str(socket_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        async with asyncio.timeout(30):
            _, err = await other.communicate()
        assert other.returncode != 0, err
        assert b"PermissionError" in err, err
    finally:
        await server.aclose()


async def test_a_peer_of_another_uid_is_refused_even_where_the_file_lets_it_in(socket_path: Path) -> None:
    server = RemoteServer(NoHands(), socket_path, owner_uid=os.getuid() + 1)  # as if the desk were someone else's
    await server.start()
    try:
        reader, writer = await asyncio.open_unix_connection(socket_path)
        writer.write(b'{"op": "state"}\n')
        async with asyncio.timeout(10):
            refused = json.loads(await reader.readline())
            assert await reader.readline() == b""  # and closed
        assert refused == {"id": None, "ok": False, "error": "this desk takes commands from its own user only"}
        writer.close()
    finally:
        await server.aclose()
