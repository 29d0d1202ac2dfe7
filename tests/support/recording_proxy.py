"""A recording proxy in front of a server we did not write: every request body as it reached the server, kept for a
test to read (what left the desk, byte for byte), and each answer relayed as it streams, with the count of its
server-sent events and whether the client went away before the server's answer ended (then the proxy closes its own
request upstream, as the client closed its own).

It runs in a thread (`serve_in_thread`): a FastAPI app that forwards any path to `upstream` with httpx.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from agent_desktop_mocks.common.runner import serve_in_thread

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "accept-encoding"}


@dataclass
class Relayed:
    """One request through the proxy: its body as sent on, the events the server streamed back before it ended or
    the client left, and whether the client left first."""

    path: str
    body: bytes
    events: int = 0
    ended: bool = False  # the server's answer reached its end
    client_left: bool = False  # the client closed its request before that
    upstream_broke: bool = False  # the server's answer broke off (the server stopped)
    said: list[str] = field(default_factory=list)  # the server's `data:` lines, as relayed


@dataclass
class RecordingProxy:
    url: str  # the proxy's base, with the upstream's path after it (…/v1)
    relayed: list[Relayed] = field(default_factory=list)

    def bodies(self) -> list[str]:
        return [item.body.decode("utf-8", "replace") for item in self.relayed if item.body]


def _app(upstream: str, proxy: RecordingProxy) -> FastAPI:
    app = FastAPI()
    # A connection of its own for each request, as the client's: a pooled one the server has since closed would
    # fail here, where the client's own connection would not have.
    client = httpx.AsyncClient(
        base_url=upstream,
        timeout=httpx.Timeout(300.0, connect=5.0),
        limits=httpx.Limits(max_keepalive_connections=0),
    )

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def forward(path: str, request: Request) -> StreamingResponse:
        body = await request.body()
        item = Relayed(path, body)
        proxy.relayed.append(item)
        headers = {name: value for name, value in request.headers.items() if name.lower() not in HOP_BY_HOP}
        sent = client.build_request(request.method, f"/{path}", content=body, headers=headers)
        response = await client.send(sent, stream=True)

        async def relay() -> AsyncIterator[bytes]:
            try:
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        item.events += 1
                        item.said.append(line)
                    yield (line + "\n").encode()
                item.ended = True
            except httpx.HTTPError:
                item.upstream_broke = True
                raise
            finally:
                item.client_left = not item.ended and not item.upstream_broke
                await response.aclose()

        kept = {name: value for name, value in response.headers.items() if name.lower() not in HOP_BY_HOP}
        return StreamingResponse(relay(), status_code=response.status_code, headers=kept)

    return app


@contextmanager
def recording_proxy(upstream: str) -> Iterator[RecordingProxy]:
    """A proxy to `upstream` (an API's base URL, e.g. http://127.0.0.1:PORT/v1) on a free loopback port."""
    proxy = RecordingProxy("")
    running = serve_in_thread([_app(upstream.rstrip("/") + "/", proxy)])
    proxy.url = running.urls[0]
    try:
        yield proxy
    finally:
        running.stop()
