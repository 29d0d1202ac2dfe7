"""The Twilio desk's one feed of its worker's events and its calls' lines (adapters/twilio/relay/call_lines.py,
`merged`): whatever the order in which the two arrive, every event and every line comes out once, each source in
its own order, and a line never waits behind a worker's event that has not come."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.twilio.relay.call_lines import merged
from tests.support.hypothesis_profiles import examples


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.sampled_from(["event", "line"]), max_size=30), st.lists(st.integers(0, 3), min_size=30, max_size=30))
def test_every_event_and_line_comes_out_once_each_in_its_order(arrivals: list[str], pauses: list[int]) -> None:
    async def run() -> list[str]:
        lines: asyncio.Queue[str] = asyncio.Queue()
        events: asyncio.Queue[str | None] = asyncio.Queue()

        async def worker_stream() -> AsyncIterator[str]:
            while (event := await events.get()) is not None:
                yield event

        async def arrive() -> None:
            for n, (source, pause) in enumerate(zip(arrivals, pauses, strict=False)):
                for _ in range(pause):
                    await asyncio.sleep(0)
                await (lines if source == "line" else events).put(f"{source}{n}")
            for _ in range(3):
                await asyncio.sleep(0)
            await events.put(None)

        feeding = asyncio.create_task(arrive())
        out = [item async for item in merged(worker_stream(), lines)]
        await feeding
        return out

    out = asyncio.run(asyncio.wait_for(run(), 10))
    sent = [f"{source}{n}" for n, source in enumerate(arrivals)]
    assert sorted(out) == sorted(sent), "each once"
    for source in ("event", "line"):
        assert [item for item in out if item.startswith(source)] == [item for item in sent if item.startswith(source)]


async def test_a_line_comes_out_while_the_worker_stream_is_silent() -> None:
    lines: asyncio.Queue[str] = asyncio.Queue()
    silent = asyncio.Event()

    async def worker_stream() -> AsyncIterator[str]:
        await silent.wait()
        yield "never"

    feed = merged(worker_stream(), lines)
    await lines.put("hello")
    assert await asyncio.wait_for(anext(feed), 5) == "hello"
    await feed.aclose()
