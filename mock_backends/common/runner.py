"""Serving several FastAPI apps with uvicorn in one event loop, in the foreground or a thread."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI


@dataclass
class RunningServers:
    """Servers started by `serve_in_thread`; `urls` are in the order the apps were given."""

    urls: list[str] = field(default_factory=list)
    _servers: list[uvicorn.Server] = field(default_factory=list)
    _thread: threading.Thread | None = None

    def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def _server(app: FastAPI, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
    return uvicorn.Server(config)


async def serve(apps: list[tuple[FastAPI, int]], host: str = "127.0.0.1") -> None:
    """Run the apps until interrupted (each on its own port)."""
    servers = [_server(app, host, port) for app, port in apps]
    await asyncio.gather(*(server.serve() for server in servers))


def serve_in_thread(apps: list[FastAPI], host: str = "127.0.0.1", ports: list[int] | None = None) -> RunningServers:
    """Start each app on a free loopback port (or the given ones) in a background thread; returns once all accept."""
    running = RunningServers()
    running._servers = [_server(app, host, port) for app, port in zip(apps, ports or [0] * len(apps), strict=True)]
    started = threading.Event()

    async def main() -> None:
        tasks = [asyncio.create_task(server.serve()) for server in running._servers]
        while not all(server.started for server in running._servers):
            if any(task.done() for task in tasks):
                break
            await asyncio.sleep(0.01)
        for server in running._servers:
            port = server.servers[0].sockets[0].getsockname()[1]
            running.urls.append(f"http://{host}:{port}")
        started.set()
        await asyncio.gather(*tasks)

    running._thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True, name="mock-servers")
    running._thread.start()
    if not started.wait(timeout=20):
        raise RuntimeError("mock servers did not start within 20 s")
    return running
