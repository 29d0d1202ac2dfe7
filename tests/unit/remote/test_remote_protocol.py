"""The remote control's protocol (agent_desktop/remote/protocol.py): what is a request, and the precise words for
what is not; and the socket's place (agent_desktop/local/paths.py): refused where others could reach it."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.local.paths import LocalPathError, private_socket_place
from agent_desktop.remote.protocol import BadRequest, Press, Run, parse_request
from tests.support.remote_hands import NoHands


def test_a_run_names_a_command_by_its_keymap_id() -> None:
    assert parse_request(b'{"op": "run", "id": 7, "command": "desk.accept"}') == Run(
        op="run", id=7, command="desk.accept"
    )
    assert parse_request(b'{"op": "press", "keys": ["e", "enter"]}') == Press(op="press", keys=["e", "enter"])


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "a request is a JSON object"),
        (b'{"op": "launch"}', "unknown op 'launch': one of hello, state, commands, run, press, subscribe"),
        (b'{"op": "run", "id": 3}', "command: Field required"),
        (b'{"op": "run", "command": "rm -rf /"}', "command: String should match pattern"),
        (b'{"op": "press", "keys": []}', "keys: List should have at least 1 item"),
        (b'{"op": "state", "extra": 1}', "extra: Extra inputs are not permitted"),
        (b'\xff\xfe{"op": "state"}', "not JSON"),
    ],
)
def test_what_is_not_a_request_is_said_precisely(line: bytes, words: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_request(line)
    assert words in str(refused.value)


def test_a_refusal_keeps_the_requests_id_where_it_could_be_read() -> None:
    with pytest.raises(BadRequest) as refused:
        parse_request(b'{"op": "run", "id": "abc"}')
    assert refused.value.request_id == "abc"


@given(st.binary(max_size=200))
def test_no_line_raises_anything_but_bad_request(line: bytes) -> None:
    with contextlib.suppress(BadRequest):
        parse_request(line)


def test_a_folder_others_can_enter_is_refused_and_the_desks_own_is_closed(tmp_path: Path) -> None:
    named = tmp_path / "shared"
    named.mkdir(mode=0o755)
    os.chmod(named, 0o755)
    with pytest.raises(LocalPathError, match="others can reach it"):
        private_socket_place(named / "desk.sock", own_folder=False)
    private_socket_place(named / "desk.sock", own_folder=True)  # the desk's own: tightened
    assert os.stat(named).st_mode & 0o777 == 0o700


def test_a_file_in_the_sockets_place_is_refused_and_a_stale_socket_removed() -> None:
    short = tempfile.TemporaryDirectory(prefix="rc")  # (a socket's path stays under 108 bytes: tmp_path may not)
    folder = Path(short.name) / "remote"
    folder.mkdir(mode=0o700)
    (folder / "desk.sock").write_text("not a socket")
    with pytest.raises(LocalPathError, match="a regular file, not a socket"):
        private_socket_place(folder / "desk.sock", own_folder=True)
    (folder / "desk.sock").unlink()
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(folder / "desk.sock"))
    stale.close()  # a desk that is gone left it
    private_socket_place(folder / "desk.sock", own_folder=True)
    assert not (folder / "desk.sock").exists()
    short.cleanup()


class FailingHands(NoHands):
    def state(self) -> dict[str, Any]:
        raise RuntimeError("a bug in the state")


async def test_a_request_that_fails_inside_the_desk_is_answered_and_the_connection_kept() -> None:
    import asyncio
    import json
    import tempfile
    from pathlib import Path

    from agent_desktop.remote.server import RemoteServer

    folder = tempfile.TemporaryDirectory(prefix="rc")  # (a socket's path stays under 108 bytes: tmp_path may not)
    server = RemoteServer(FailingHands(), Path(folder.name) / "r" / "desk.sock")
    await server.start()
    try:
        reader, writer = await asyncio.open_unix_connection(server.path)
        writer.write(b'{"op": "state", "id": 1}\n{"op": "hello", "id": 2}\n')
        failed, hello = json.loads(await reader.readline()), json.loads(await reader.readline())
        assert failed["ok"] is False
        assert "could not do that" in failed["error"]
        assert hello["ok"] is True  # the connection, and the desk, go on
        writer.close()
    finally:
        await server.aclose()
        folder.cleanup()


def test_no_remote_turns_it_off_on_the_demos_settings_too() -> None:
    """The demo copies its settings with the command line's overrides, unvalidated: `--no-remote` must be a model."""
    import argparse

    from agent_desktop.app.commands import log_overrides
    from agent_desktop.app.demo import demo_settings
    from agent_desktop.app.runtime import DeskOptions

    overrides = log_overrides(argparse.Namespace(log_file=None, log_level=None, no_remote=True))
    settings = demo_settings("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3").model_copy(
        update=overrides
    )
    assert DeskOptions.from_settings(settings, ("agent",)).remote_socket is None
    assert DeskOptions.from_settings(demo_settings("http://a", "http://b", "http://c"), ("agent",)).remote_socket
