"""Every command the README and `--help` name, from the wheel installed with each extra the docs give for it, in a
fresh virtual environment outside the clone: each answers `--help`, the servers start and answer, and a command
whose extra is not installed says in one line which extra to install and exits 2 — none dies on an import.

The demo itself (`[mocks]`, on a pseudo-terminal, with the mock contact center and in Twilio's shape) is in
tests/e2e/config/test_installed_tool.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agent_desktop_mocks.common.ports import free_port
from tests.support.installed_wheel import build_wheel, install, installed_environment, stop, wait_answered
from tests.support.redis_server import running_redis

RELAY_ENVIRONMENT = {"TWILIO_AUTH_TOKEN": "an-auth-token", "RELAY_SECRET": "a-relay-secret-of-32-characters-or-more"}
WORKER_SID = "WK" + "0" * 32
START_TIMEOUT_S = 60  # a server's start on a loaded machine (the parallel run is niced)

# The commands the README and `agent-desktop --help` name, each with `--help`: all answer from any install.
HELP = (
    ["agent-desktop", "--help"],
    ["agent-desktop", "run", "--help"],
    ["agent-desktop", "supervisor", "--help"],
    ["agent-desktop", "demo", "--help"],
    ["agent-desktop", "info", "--help"],
    ["agent-desktop", "serve", "--help"],
    ["agent-desktop", "completion", "--help"],
    ["agent-desktop-twilio-relay", "--help"],
    ["agent-desktop-twilio-relay", "token", "--help"],
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist"))


def _command(bin_folder: Path, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """An installed command (`args[0]`, from `bin_folder`) run to its end from `tmp_path`, stdin closed."""
    return subprocess.run(
        [str(bin_folder / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=installed_environment(bin_folder, tmp_path) | env,
        stdin=subprocess.DEVNULL,
    )


def _refused(done: subprocess.CompletedProcess[str], extra: str) -> None:
    """Exit code 2 and one line naming `extra` to install: no traceback."""
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"agent-desktop[{extra}]" in done.stderr, done.stderr


def _serving(bin_folder: Path, tmp_path: Path, args: list[str], **env: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = tmp_path / f"{args[0]}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(bin_folder / args[0]), *args[1:]],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
            env=installed_environment(bin_folder, tmp_path) | env,
        )
    return process, log


def test_the_desk_alone_answers_every_command_or_names_the_extra(wheel: Path, tmp_path: Path) -> None:
    bin_folder = install(wheel, tmp_path / "venv")
    for args in HELP:
        done = _command(bin_folder, tmp_path, *args)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        assert "usage:" in done.stdout, f"{args}: {done.stderr}"
    for args in (["--version"], ["info"], ["completion", "bash"]):
        done = _command(bin_folder, tmp_path, "agent-desktop", *args)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        assert done.stdout, f"{args}: {done.stderr}"
        assert not done.stderr, f"{args}: {done.stderr}"

    _refused(_command(bin_folder, tmp_path, "agent-desktop", "demo"), "mocks")
    _refused(_command(bin_folder, tmp_path, "agent-desktop", "demo", "--ccaas", "twilio", "--crm", "zendesk"), "mocks")
    _refused(_command(bin_folder, tmp_path, "agent-desktop", "mocks"), "mocks")
    _refused(_command(bin_folder, tmp_path, "agent-desktop", "serve"), "serve")
    _refused(_command(bin_folder, tmp_path, "agent-desktop-twilio-relay", **RELAY_ENVIRONMENT), "relay")


def test_with_the_relay_extra_the_relay_starts_and_answers(wheel: Path, tmp_path: Path) -> None:
    bin_folder = install(wheel, tmp_path / "venv", "relay")
    token = _command(bin_folder, tmp_path, "agent-desktop-twilio-relay", "token", WORKER_SID, **RELAY_ENVIRONMENT)
    assert token.returncode == 0, token.stderr
    assert len(token.stdout.strip()) > 20, token.stderr

    port = free_port()
    args = ["agent-desktop-twilio-relay", "--port", str(port), "--store", str(tmp_path / "relay.sqlite3")]
    relay, log = _serving(bin_folder, tmp_path, args, **RELAY_ENVIRONMENT)
    try:
        health = wait_answered(f"http://127.0.0.1:{port}/healthz", relay, START_TIMEOUT_S, log)
    finally:
        stop(relay)
    assert health.status_code == 200, health.text
    assert "received" in health.json(), health.text
    _refused(_command(bin_folder, tmp_path, "agent-desktop", "demo"), "mocks")


def test_with_the_relay_redis_extra_relays_share_a_redis(wheel: Path, tmp_path: Path) -> None:
    bin_folder = install(wheel, tmp_path / "venv", "relay-redis")
    port = free_port()
    with running_redis(tmp_path / "redis") as redis:
        args = ["agent-desktop-twilio-relay", "--port", str(port), "--redis-url", redis.url]
        relay, log = _serving(bin_folder, tmp_path, args, **RELAY_ENVIRONMENT)
        try:
            health = wait_answered(f"http://127.0.0.1:{port}/healthz", relay, START_TIMEOUT_S, log)
        finally:
            stop(relay)
    assert health.status_code == 200, health.text
    assert health.json()["store"], health.text


def test_with_the_serve_extra_the_desk_is_served(wheel: Path, tmp_path: Path) -> None:
    bin_folder = install(wheel, tmp_path / "venv", "serve")
    port = free_port()
    server, log = _serving(bin_folder, tmp_path, ["agent-desktop", "serve", "--port", str(port)])
    try:
        page = wait_answered(f"http://127.0.0.1:{port}/", server, START_TIMEOUT_S, log)
    finally:
        stop(server)
    assert page.status_code == 200, page.text[:500]
    _refused(_command(bin_folder, tmp_path, "agent-desktop", "serve", "--demo"), "mocks")
