"""The mock HTTP contact center's event stream (agent_desktop/adapters/wire/stream.py) under a 429 storm: the link
is said to be rate limited, not "refused" (which asks for a configuration check), and once the server answers
again the stream reconnects and the resync brings the state back."""

from __future__ import annotations

import contextlib

import httpx

from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.domain.streams.link_status import LinkStatus


async def test_a_rate_limited_stream_is_said_so_then_resyncs_once_it_answers() -> None:
    storm = {"left": 2}

    def answer(request: httpx.Request) -> httpx.Response:
        if storm["left"]:
            storm["left"] -= 1
            return httpx.Response(429, json={"detail": "rate limited"}, headers={"Retry-After": "1"})
        return httpx.Response(200, headers={"Content-Type": "text/event-stream"}, content=b": heartbeat\n\n")

    async def resync() -> list[str]:
        return ["the state now"]

    async with httpx.AsyncClient(base_url="http://ccaas.test", transport=httpx.MockTransport(answer)) as client:
        stream = resilient_stream(
            client,
            "/v1/agents/agent-001/events",
            backend="contact center",
            parse=lambda event: None,
            resync=resync,
            retry_initial_s=0.01,
        )
        seen = []
        async for item in stream:
            seen.append(item)
            if item == "the state now":
                break
        with contextlib.suppress(Exception):
            await stream.aclose()
    statuses = [(s.connected, s.detail, s.refused) for s in seen if isinstance(s, LinkStatus)]
    assert statuses == [(False, "429 rate limited", False)] * 2 + [(True, "", False)]
    assert seen[-1] == "the state now"
