"""The demo's servers start on ports found free a moment before; on a busy machine another program can take one
in between (a full `make test` saw it: the mock servers exited on "address already in use"). The demo then
starts them again on other ports instead of failing."""

from __future__ import annotations

import socket

import httpx

from agent_desktop.app import demo


def test_a_port_taken_before_the_servers_bind_it_is_replaced(tmp_path, monkeypatch):
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
        assert len(picked) == 12, "one more set of ports, after the first start failed"
        assert "address already in use" in (tmp_path / "demo" / "mocks.log").read_text()
