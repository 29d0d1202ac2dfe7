"""A mock app served on loopback for the length of a block, with a client holding the service's token
(the side of the scene the desktop does not play: a supervisor, the CRM's admin, an expert's own client)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from agent_desktop_mocks.common.runner import serve_in_thread


@asynccontextmanager
async def served(app: FastAPI, token: str) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    running = serve_in_thread([app])
    url = running.urls[0]
    client = httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    try:
        yield url, client
    finally:
        await client.aclose()
        running.stop()
