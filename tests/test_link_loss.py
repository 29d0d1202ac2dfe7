"""When the backends go away the desktop says so, keeps running, and picks up where it left off."""

from __future__ import annotations

from desktop.backends.factory import build_backends
from desktop.demo import demo_settings
from desktop.ui.app import AgentDesktopApp
from mock_backends.ccaas.app import create_app as create_ccaas
from mock_backends.common.runner import serve_in_thread
from mock_backends.common.settings import MockSettings
from mock_backends.crm.app import create_app as create_crm
from mock_backends.presence.app import create_app as create_presence
from scripts.scenes import SIZE, SceneServers, go_available, screen_text, wait_until


def start(settings: MockSettings, ports: list[int] | None = None):
    return serve_in_thread([create_ccaas(settings), create_crm(settings), create_presence(settings)], ports=ports)


async def test_servers_restarted_under_the_desktop(tmp_path):
    settings = MockSettings(data_dir=tmp_path, seed=42, customers=30, experts=10, simulator=False, fresh=True)
    running = start(settings)
    urls = list(running.urls)
    ports = [int(url.rsplit(":", 1)[1]) for url in urls]
    app = AgentDesktopApp(build_backends(demo_settings(*urls)))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)

            running.stop()
            await wait_until(
                pilot, lambda: "connection lost — reconnecting" in screen_text(pilot, "#agent-status"), "the lost link"
            )
            assert pilot.app.is_running

            running = start(settings.model_copy(update={"fresh": False}), ports=ports)
            await wait_until(
                pilot, lambda: "reconnecting" not in screen_text(pilot, "#agent-status"), "reconnection", timeout_s=15
            )
            # The restarted contact center kept the agent Available; a new call reaches them.
            assert "● Available" in screen_text(pilot, "#agent-status")
            SceneServers(*urls, settings=settings).place_call("+12125550042", subject="After the outage")
            await wait_until(pilot, lambda: "After the outage" in screen_text(pilot, "#offer"), "the offer")
    finally:
        running.stop()
