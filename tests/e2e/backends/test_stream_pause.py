"""A pause the event stream notices by its clocks: a stopped desk, a laptop asleep or a clock that jumped reads on
what the socket kept as if nothing had happened; after a silence longer than the heartbeat timeout the stream
reconnects and resyncs instead, so the desk shows what the contact center has (Missed, not Busy)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.conftest import small_settings


async def test_a_pause_longer_than_the_heartbeat_timeout_reconnects_and_resyncs(tmp_path: Path) -> None:
    """The stream's clocks jump by a minute between two heartbeats (what a stopped desk or a sleeping laptop sees
    when it runs again): the link counts as lost, reconnects and resyncs, instead of reading on as if nothing
    happened. Before, the stream read on and `resync` never ran again."""
    settings = small_settings(tmp_path / "mocks").model_copy(update={"heartbeat_s": 0.2})
    running = serve_in_thread([create_app(settings)])
    jumped = {"mono": 0.0, "wall": 0.0}
    resyncs: list[float] = []

    async def resync() -> list[None]:
        resyncs.append(time.monotonic())
        return []

    try:
        async with httpx.AsyncClient(
            base_url=running.urls[0], headers={"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"}
        ) as client:
            stream = resilient_stream(
                client,
                "/v1/agents/agent-001/events",
                backend="contact center",
                parse=lambda event: None,
                resync=resync,
                heartbeat_timeout_s=5.0,
                monotonic=lambda: time.monotonic() + jumped["mono"],
                wall=lambda: time.time() + jumped["wall"],
            )
            statuses: list[LinkStatus] = []

            async def follow() -> None:
                async for item in stream:
                    if isinstance(item, LinkStatus):
                        statuses.append(item)

            following = asyncio.create_task(follow())

            async def until(condition: Callable[[], object], what: str) -> None:
                deadline = time.monotonic() + 5
                while not condition():
                    assert time.monotonic() < deadline, f"{what}: {statuses}"
                    await asyncio.sleep(0.05)

            try:
                await until(lambda: len(resyncs) == 1, "connected and resynced")
                for count, clock in enumerate(("mono", "wall"), start=2):  # a stopped process, then a sleeping machine
                    # An event with an id on this connection: from then on each heartbeat reaches the stream's loop
                    # (httpx-sse dispatches the blank line after it as an empty message once an id was seen).
                    state = "not_ready" if clock == "mono" else "available"
                    answer = await client.put("/v1/agents/agent-001/state", json={"state": state, "reason": "Break"})
                    answer.raise_for_status()
                    await asyncio.sleep(0.5)
                    jumped[clock] += 60.0

                    def resynced(count: int = count) -> bool:
                        return len(resyncs) == count

                    await until(resynced, f"resynced after the {clock} clock jumped")
                    lost = [s for s in statuses if not s.connected]
                    assert len(lost) == count - 1, statuses
                    assert "paused 60 s" in lost[-1].detail, statuses
                    assert lost[-1].paused, statuses
            finally:
                following.cancel()
                await asyncio.gather(following, return_exceptions=True)
        assert len(resyncs) == 3  # the first connection, then once after each pause
    finally:
        running.stop()
