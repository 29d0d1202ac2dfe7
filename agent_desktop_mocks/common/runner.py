"""Serving several FastAPI apps with uvicorn in one event loop, in the foreground or a thread."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import uvicorn
from fastapi import FastAPI
from uvicorn.loops.auto import auto_loop_factory

from agent_desktop_mocks.common.heap import keep_heap_settled, settle_heap
from agent_desktop_mocks.common.http.header_limits import LimitedHeadersProtocol

T = TypeVar("T")


@dataclass
class RunningServers:
    """Servers started by `serve_in_thread`; `urls` are in the order the apps were given."""

    urls: list[str] = field(default_factory=list)
    _servers: list[uvicorn.Server] = field(default_factory=list)
    _thread: threading.Thread | None = None

    def call(self, fn: Callable[[], T], timeout_s: float = 60.0) -> T:
        """Run `fn` on the servers' event loop, between two requests, and return what it returns: a test
        builds server state there (in bulk, through the servers' own code) instead of racing the loop."""

        async def run() -> T:
            return fn()

        loop = self._servers[0].servers[0].get_loop()
        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout_s)

    def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


KEEP_ALIVE_S = 75


def _server(app: FastAPI, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,  # at warning level nothing is shown, but each request still paid for the call
        lifespan="on",
        timeout_graceful_shutdown=1,
        # An idle connection is kept longer than a client keeps one (httpx: 5 s), as nginx (75 s) and load
        # balancers (60 s) do: at uvicorn's own 5 s the server closed a connection in the moment the desk sent
        # on it (a wrap-up's completion failed with ReadError in a full test run).
        timeout_keep_alive=KEEP_ALIVE_S,
        # uvloop and httptools (dependencies): about a fifth of a CRM lookup's CPU less than asyncio's loop and
        # h11; headers held to a limit (http/header_limits.py).
        loop="auto",
        http=LimitedHeadersProtocol,
    )
    return uvicorn.Server(config)


async def serve(apps: list[tuple[FastAPI, int]], host: str = "127.0.0.1") -> None:
    """Run the apps until interrupted (each on its own port), the heap settled once they are built and every minute
    after."""
    settle_heap()
    servers = [_server(app, host, port) for app, port in apps]
    settling = asyncio.create_task(keep_heap_settled(), name="settle-heap")
    try:
        await asyncio.gather(*(server.serve() for server in servers))
    finally:
        settling.cancel()


def run_servers(apps: list[tuple[FastAPI, int]], host: str = "127.0.0.1") -> None:
    """Serve the apps in the foreground until interrupted, on the event loop uvicorn's `loop="auto"` picks
    (uvloop when installed). `asyncio.run(serve(...))` ran them on asyncio's own loop whatever the config said:
    `loop` is read only when uvicorn makes the loop itself. On the 200-stream fan-out benchmark's server the
    loop's Python (timers, `call_soon`, transports' writes) was most of what an event cost besides the app."""
    with asyncio.Runner(loop_factory=auto_loop_factory()) as runner:
        runner.run(serve(apps, host))


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


def serve_processes(build: Callable[[], FastAPI], port: int, workers: int, host: str = "127.0.0.1") -> None:
    """Run `workers` processes, each serving the app `build()` makes in it, on one shared listening socket
    (fork, so POSIX only), until SIGTERM or SIGINT; the kernel hands each new connection to one of them.

    For a read-mostly server on several cores (the CRM in its benchmark): each process has its own
    SQLite connection, and SQLite's locking keeps writes whole. In-memory state is per process — the
    CRM's injected faults, for one — so tests use a single process. Build the database (seed it)
    before: a process must not inherit an open SQLite connection.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(2048)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own app, database connection and event loop
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                app = build()
                settle_heap()
                _server(app, host, port).run(sockets=[listener])
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        children.append(pid)

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        os.waitpid(child, 0)
    listener.close()
