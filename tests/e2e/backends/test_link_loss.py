"""When the backends go away the desktop says so, keeps running, and picks up where it left off."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.runner import RunningServers, serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.desk_app import desk_app
from tests.support.scenes.scenes import SIZE, SceneServers, go_available, screen_text, wait_until


def start(settings: MockSettings, ports: list[int] | None = None) -> RunningServers:
    return serve_in_thread([create_ccaas(settings), create_crm(settings), create_presence(settings)], ports=ports)


async def test_servers_restarted_under_the_desktop(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=42, customers=30, experts=10, simulator=False, fresh=True)
    running = start(settings)
    urls = list(running.urls)
    ports = [int(url.rsplit(":", 1)[1]) for url in urls]
    ccaas_url, crm_url, presence_url = urls
    app = desk_app(build_backends(demo_settings(ccaas_url, crm_url, presence_url)))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)

            running.stop()
            await wait_until(
                pilot,
                lambda: (
                    "contact center ✕" in screen_text(pilot, "#agent-status")
                    and "— reconnecting" in screen_text(pilot, "#agent-status")
                ),
                "the lost link",
            )
            assert pilot.app.is_running

            running = start(settings.model_copy(update={"fresh": False}), ports=ports)
            await wait_until(
                pilot, lambda: "reconnecting" not in screen_text(pilot, "#agent-status"), "reconnection", timeout_s=15
            )
            # The restarted contact center kept the agent Available; a new call reaches them.
            assert "● Available" in screen_text(pilot, "#agent-status")
            SceneServers.at(urls, settings).place_call("+12125550042", subject="After the outage")
            await wait_until(pilot, lambda: "After the outage" in screen_text(pilot, "#offer"), "the offer")
    finally:
        running.stop()


class CuttableLink:
    """A TCP relay on loopback in front of a server, standing in for the network between the desktop
    and the contact center: `cut()` drops every open connection and refuses new ones until `restore()`.
    The server itself keeps running, so the contact center carries on while the desktop is cut off."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.is_cut = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.is_cut:
            writer.transport.abort()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers |= {writer, up_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        self._writers -= {writer, up_writer}

    def cut(self) -> None:
        self.is_cut = True
        for writer in list(self._writers):
            writer.transport.abort()

    def restore(self) -> None:
        self.is_cut = False

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def test_an_offer_made_while_the_link_was_cut_is_shown_after_reconnecting_and_can_be_accepted(
    tmp_path: Path,
) -> None:
    settings = MockSettings(
        data_dir=tmp_path, seed=42, customers=30, experts=10, simulator=False, offer_timeout_s=120, fresh=True
    )
    running = start(settings)
    ccaas_url, crm_url, presence_url = running.urls
    link = CuttableLink(int(ccaas_url.rsplit(":", 1)[1]))
    agent = {"Authorization": "Bearer demo-agent-token"}
    try:
        app = desk_app(build_backends(demo_settings(await link.start(), crm_url, presence_url)))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)

            link.cut()
            await wait_until(
                pilot,
                lambda: (
                    "contact center ✕" in screen_text(pilot, "#agent-status")
                    and "— reconnecting" in screen_text(pilot, "#agent-status")
                ),
                "the lost link",
            )
            # The contact center carries on: a caller arrives and is offered to the agent, who cannot see it.
            contact = SceneServers(ccaas_url, crm_url, presence_url, settings).place_call(
                "+12125550042", subject="Called during the outage"
            )
            offers = httpx.get(f"{ccaas_url}/v1/agents/agent-001/offers", headers=agent).json()
            assert [o["contact"]["id"] for o in offers] == [contact["id"]]
            await pilot.pause(0.5)
            assert "Called during the outage" not in screen_text(pilot, "#offer")

            link.restore()
            await wait_until(
                pilot, lambda: "Called during the outage" in screen_text(pilot, "#offer"), "the offer", timeout_s=20
            )
            assert "reconnecting" not in screen_text(pilot, "#agent-status")
            await pilot.press("a")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "the accepted contact")

        stored = httpx.get(f"{ccaas_url}/v1/agents/agent-001/contacts", headers=agent).json()
        assert [(c["id"], c["state"]) for c in stored] == [(contact["id"], "connected")]
    finally:
        await link.close()
        running.stop()
