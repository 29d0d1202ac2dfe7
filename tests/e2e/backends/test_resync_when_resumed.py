"""A desk that runs again after a pause (SIGCONT: `Resumed`) reads the contact center's state again at once
(a desk paused for a minute showed Busy while the contact center had it Missed). Here the socket its
stream reads died silently meanwhile (a NAT that forgot the connection, a laptop asleep): nothing more comes on
it, not even a heartbeat, so the stream's own clocks (tests/e2e/backends/test_stream_pause.py) have nothing to read.
Told it was resumed, the desk reconnects and resyncs: the missed offer is Missed on the screen in seconds, not
after the heartbeat timeout."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.ui.messages import Resumed
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.e2e.backends.test_link_loss import CuttableLink, start
from tests.support.desk_app import desk_app
from tests.support.scenes.scenes import SIZE, SceneServers, go_available, screen_text, wait_until

AGENT = {"Authorization": "Bearer demo-agent-token"}


class SilencedLink(CuttableLink):
    """The network in front of the contact center; `silence()`: the connections open now stay open and carry
    nothing more, new ones carry as before."""

    def __init__(self, upstream_port: int) -> None:
        super().__init__(upstream_port)
        self._opened = 0
        self._silent_below = 0

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        number = self._opened
        self._opened += 1
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers |= {writer, up_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    if number >= self._silent_below:
                        sink.write(data)
                        await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        self._writers -= {writer, up_writer}

    def silence(self) -> None:
        self._silent_below = self._opened


async def test_a_resumed_desk_reads_the_state_again_without_waiting_for_its_dead_stream(tmp_path: Path) -> None:
    settings = MockSettings(
        data_dir=tmp_path, seed=42, customers=30, experts=10, simulator=False, offer_timeout_s=1.5, fresh=True
    )
    running = start(settings)
    ccaas_url, crm_url, presence_url = running.urls
    link = SilencedLink(int(ccaas_url.rsplit(":", 1)[1]))
    try:
        app = desk_app(build_backends(demo_settings(await link.start(), crm_url, presence_url)))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            link.silence()  # the desk's stream: open, and dead
            SceneServers(ccaas_url, crm_url, presence_url, settings).place_call("+12125550042", subject="While paused")
            for _ in range(100):  # the offer times out on the contact center: the agent is Missed there
                if httpx.get(f"{ccaas_url}/v1/agents/agent-001", headers=AGENT).json()["state"] == "missed":
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the contact center never put the agent in Missed")
            await pilot.pause(0.3)
            assert "Missed" not in screen_text(pilot, "#agent-status"), "the desk cannot know yet"

            pilot.app.post_message(Resumed())  # what ui/terminal/terminal_loss.py posts on a SIGCONT
            await wait_until(
                pilot, lambda: "Missed" in screen_text(pilot, "#agent-status"), "Missed, read again", timeout_s=8
            )
    finally:
        await link.close()
        running.stop()
