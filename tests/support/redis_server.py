"""A real redis-server on loopback, for the store several Twilio relays share (agent_desktop_relay/store_redis.py) and
its benchmark: its own free port and folder, no persistence (nothing here survives it), stopped on exit.

The Debian package `redis-server` (scripts/ensure-system-packages.sh installs it); it accepts its whole
configuration as command-line options and answers PING within some 10 ms of starting.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from agent_desktop_mocks.common.ports import free_port


@dataclass(frozen=True)
class RedisServer:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _wait_ready(server: RedisServer, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {server.process.returncode}:\n{server.log()}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"redis-server did not answer on {server.port} within {timeout_s} s:\n{server.log()}")


@contextmanager
def running_redis(folder: Path, *options: str) -> Iterator[RedisServer]:
    """redis-server in `folder` on a free loopback port; `options` are more of its settings (`--maxclients`, `20000`)."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is not installed: run scripts/ensure-system-packages.sh")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(folder),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--logfile",
        str(folder / "redis.log"),
        *options,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    server = RedisServer(folder, port, process)
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
