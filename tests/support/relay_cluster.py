"""Several Twilio relays on one Redis, as real processes, behind a round-robin TCP proxy standing in for a load
balancer: for the two-relay test (tests/e2e/relay/test_twilio_relay_several.py) and `make bench` (bench_relay.py).

The proxy hands each new connection to the next relay that accepts one (a dead relay's refusal moves it on to
the next, as a load balancer's health check would), and closes the client's side when the relay's side ends,
so a desk whose relay is killed sees its stream end and reconnects, to another. Every relay is given the
proxy's URL as its `--public-url`: the URL Twilio signs, whichever relay the callback reaches.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from agent_desktop.app.demo import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RelayProcess:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no shutdown, no goodbye to the desks or to Redis."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


@contextlib.contextmanager
def relay_processes(
    redis_url: str | None, count: int, public_url: str, folder: Path, auth_token: str, secret: str, *options: str
) -> Iterator[list[RelayProcess]]:
    """`count` relays (`python -m agent_desktop_relay --redis-url …`; no `redis_url`: each on its own SQLite file), each
    healthy before this yields; `options`: more of the relay's command-line options. Their logs are in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TWILIO_AUTH_TOKEN": auth_token, "RELAY_SECRET": secret}
    env.pop("RELAY_REDIS_URL", None)
    relays: list[RelayProcess] = []
    try:
        for n in range(count):
            port, log = free_port(), folder / f"relay-{n}.log"
            store = ["--redis-url", redis_url] if redis_url else ["--store", str(folder / f"relay-{n}.sqlite3")]
            command = [
                sys.executable,
                "-m",
                "agent_desktop_relay",
                "--port",
                str(port),
                *store,
                "--public-url",
                public_url,
                *options,
            ]
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            relays.append(RelayProcess(port, process, log))
        for relay in relays:
            wait_healthy([relay.url], relay.process, timeout_s=60, what=f"the relay on {relay.port} ({relay.log})")
        yield relays
    finally:
        for relay in relays:
            if relay.process.poll() is None:
                relay.process.terminate()
        for relay in relays:
            try:
                relay.process.wait(10)
            except subprocess.TimeoutExpired:
                relay.process.kill()
                relay.process.wait()


class RoundRobinProxy:
    """Counts, per backend, the connections it handed to it (`handed`) and those still open (`open`)."""

    def __init__(self, backends: list[int]) -> None:
        self.backends, self.next = backends, 0
        self.handed: Counter[int] = Counter()
        self.open: Counter[int] = Counter()

    async def handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        upstream = None
        for _ in range(len(self.backends)):
            index, self.next = self.next, (self.next + 1) % len(self.backends)
            try:
                upstream = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.backends[index]), 2.0)
                break
            except (OSError, TimeoutError):
                continue
        if upstream is None:
            client_writer.close()
            return
        self.handed[index] += 1
        self.open[index] += 1
        reader, writer = upstream
        try:
            await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))
        finally:
            self.open[index] -= 1
            for side in (writer, client_writer):
                side.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while chunk := await source.read(65536):
            sink.write(chunk)
            await sink.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            sink.close()  # the other side's end ends this side: a killed relay ends its desks' streams


@contextlib.asynccontextmanager
async def round_robin_proxy(port: int, backends: list[int]) -> AsyncIterator[RoundRobinProxy]:
    """The proxy on 127.0.0.1:`port`, in the caller's event loop, in front of the relays on `backends` ports."""
    proxy = RoundRobinProxy(backends)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", port)
    try:
        yield proxy
    finally:
        server.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 2.0)
