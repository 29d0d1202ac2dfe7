"""Closing a backend's event stream in a test: the protocols promise an async iterator (`events()`), and every
backend's is an async generator, which a test closes when it is done with it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator


async def close_stream(events: AsyncIterator[object]) -> None:
    assert isinstance(events, AsyncGenerator), f"{type(events).__name__} is not an async generator"
    await events.aclose()
