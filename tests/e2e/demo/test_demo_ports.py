"""The demo's servers start on ports found free a moment before; on a busy machine another program could take one
in between (a full `make test` saw it: the mock servers exited on "address already in use"). Ports are picked
below the range the kernel gives outgoing connections, and if one is taken all the same the demo starts its
servers again on other ports instead of failing."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from agent_desktop.app import demo


def test_a_port_taken_before_the_servers_bind_it_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        picked: list[int] = []
        real_free_port = demo.free_port

        def free_port() -> int:
            picked.append(taken_port if not picked else real_free_port())  # the first pick is already taken
            return picked[-1]

        monkeypatch.setattr(demo, "free_port", free_port)
        with demo.demo_servers(agents=2, queues=2, data_dir=tmp_path / "demo") as servers:
            assert str(taken_port) not in servers.ccaas_url
            assert httpx.get(f"{servers.ccaas_url}/healthz", timeout=5).status_code == 200
        assert len(picked) == 14, "one more set of ports, after the first start failed"
        assert "address already in use" in (tmp_path / "demo" / "mocks.log").read_text()


def test_ports_are_picked_below_the_range_the_kernel_gives_connections() -> None:
    """A port the kernel hands out is what it gives the next outgoing connection too; below that range nothing but
    another picker takes one meanwhile."""
    low = demo._ephemeral_low()
    assert low > demo.PICK_BELOW_EPHEMERAL + 1024, f"this machine's ephemeral ports start at {low}"
    ports = {demo.free_port() for _ in range(20)}
    assert all(low - demo.PICK_BELOW_EPHEMERAL <= port < low for port in ports), sorted(ports)
    assert len(ports) > 1, "picked at random, so two pickers at once seldom meet"
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # free indeed
