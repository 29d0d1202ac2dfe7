"""`make bench BENCH=relay`: the Twilio relay under a floor's load, one relay on its SQLite file beside two relays
sharing one Redis (agent_desktop_relay/store_redis.py) and two sharing a three-primary Redis Cluster
(agent_desktop_relay/store_redis_cluster.py), in the same run.

1,000 worker streams (a desk each: a plain SSE reader, so the bench's own client costs little), signed callbacks at
100 a second, each for a random worker, for a minute (`BENCH_RELAY_SECONDS` shortens it): callback posted → the
event parsed at that desk's stream, p50/p99. With two relays, callbacks alternate between them and the desks are
split between them, so most events cross from one relay to the other through Redis. Then, callbacks still
flowing, one of the two relays is SIGKILLed: its desks reconnect (after the desk's own first retry delay, 0.25 s:
agent_desktop/adapters/wire/stream.py) to the other, as a load balancer would send them, resuming by Last-Event-ID; the gap
is the time from the kill until a desk's stream is open again, and every event must arrive once.

Relays and Redis are processes of their own (tests/support/relay_cluster.py, tests/support/redis_server.py);
every wait is bounded, and a relay that dies unasked ends the run with an error.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from twilio.request_validator import RequestValidator

from agent_desktop_relay.credentials import reader_token
from benchmarks.figures import timing
from tests.support.redis_cluster import running_redis_cluster
from tests.support.redis_server import running_redis
from tests.support.relay_cluster import RelayProcess, relay_processes

STREAMS = 1000
RATE = 100  # callbacks a second
SECONDS = float(os.environ.get("BENCH_RELAY_SECONDS", "60"))
KILL_AFTER_S, AFTER_KILL_S = 2.0, 6.0  # callbacks flowing before and after one relay is killed
RETRY_S = 0.25  # the desk's first reconnection delay (resilient_stream's retry_initial_s)
AUTH_TOKEN, SECRET = "bench-relay-auth-token", "bench-relay-secret-0123456789abcdef"
PUBLIC_URL = "https://relay.bench.invalid/twilio/events"  # the URL Twilio signs: the balancer's, not a relay's
WORKERS = [f"WK{n:032x}" for n in range(STREAMS)]
SID = re.compile(rb'"Sid": "(EV[0-9a-f]{32})"')


class Run:
    """When each callback was posted and when (and how often) its event reached its desk."""

    def __init__(self) -> None:
        self.sent: dict[str, tuple[str, float]] = {}
        self.got: defaultdict[str, list[float]] = defaultdict(list)
        self.misrouted = 0

    def arrived(self, worker: str, data: bytes) -> None:
        found = SID.search(data)
        if found is None:
            return
        sid = found.group(1).decode()
        self.got[sid].append(time.perf_counter())
        if sid in self.sent and self.sent[sid][0] != worker:
            self.misrouted += 1

    def latencies_ms(self, sids: list[str]) -> list[float]:
        return [(self.got[sid][0] - self.sent[sid][1]) * 1000 for sid in sids if self.got.get(sid)]

    def lost_or_doubled(self, sids: list[str]) -> int:
        return sum(len(self.got.get(sid, ())) != 1 for sid in sids) + self.misrouted


class Desk:
    """One worker's stream, read as the desk reads it: resumed after the last id seen, reconnected on loss (to
    the next relay in `relays` when its own refuses, as a balancer would)."""

    def __init__(self, worker: str, relays: list[RelayProcess], first: int, run: Run) -> None:
        self.worker, self.relays, self.at, self.run = worker, relays, first, run
        self.last_id: str | None = None
        self.connected_at: list[tuple[int, float]] = []  # (relay, when its stream opened)

    async def follow(self) -> None:
        refused = 0
        while True:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.relays[self.at].port), 2.0
                )
            except (OSError, TimeoutError):
                self.at, refused = (self.at + 1) % len(self.relays), refused + 1
                if refused % len(self.relays) == 0:
                    await asyncio.sleep(RETRY_S)
                continue
            refused = 0
            try:
                await self._read(reader, writer)
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()
            await asyncio.sleep(RETRY_S)

    async def _read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        resume = f"Last-Event-ID: {self.last_id}\r\n" if self.last_id else ""
        token = reader_token(SECRET, self.worker)
        writer.write(
            f"GET /v1/Workers/{self.worker}/Events HTTP/1.0\r\nHost: relay\r\nAuthorization: Bearer {token}\r\n"
            f"{resume}\r\n".encode()
        )
        status = await reader.readline()
        if b" 200 " not in status:
            raise OSError(f"the relay answered {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        event_id, data = None, b""
        while line := await reader.readline():
            if line.startswith(b": connected"):
                self.connected_at.append((self.at, time.perf_counter()))
            elif line.startswith(b"id: "):
                event_id = line[4:].strip().decode()
            elif line.startswith(b"data: "):
                data = line[6:]
            elif line == b"\n":  # an id alone (where "now" was, at connection) is kept too, as the SSE spec says
                self.last_id = event_id or self.last_id
                if data:
                    self.run.arrived(self.worker, data)
                data = b""


def _alive(relays: list[RelayProcess], killed: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    for n, relay in enumerate(relays):
        if n not in killed and relay.process.poll() is not None:
            raise RuntimeError(f"relay {n} exited with {relay.process.returncode} ({relay.log})")


async def _post(client: httpx.AsyncClient, relays: list[RelayProcess], first: int, params: dict[str, str]) -> None:
    signature = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL, params)}
    for n in range(len(relays) * 3):
        try:
            answer = await client.post(
                f"{relays[(first + n) % len(relays)].url}/twilio/events", data=params, headers=signature
            )
            if answer.status_code == 204:
                return
        except httpx.TransportError:
            pass  # a killed relay: Twilio's retry lands on another through the balancer
    raise RuntimeError(f"no relay took the callback {params['Sid']}")


async def _callbacks(
    client: httpx.AsyncClient,
    relays: list[RelayProcess],
    run: Run,
    seconds: float,
    phase: int,
    rng: random.Random,
    killed: set[int],
) -> list[str]:
    """Post at RATE for `seconds`, each callback on its own (a slow one delays none of the next)."""
    posts, sids, start = [], [], time.perf_counter()
    for n in range(int(seconds * RATE)):
        await asyncio.sleep(max(0.0, start + n / RATE - time.perf_counter()))
        if n % RATE == 0:
            _alive(relays, killed)
        sid, worker = f"EV{phase:02x}{n:030x}", rng.choice(WORKERS)
        params = {
            "EventType": "worker.activity.update",
            "WorkerSid": worker,
            "Sid": sid,
            "WorkerActivityName": "Available",
        }
        run.sent[sid] = (worker, time.perf_counter())
        sids.append(sid)
        posts.append(asyncio.create_task(_post(client, relays, n % len(relays), params)))
    await asyncio.wait_for(asyncio.gather(*posts), 30)
    return sids


async def _drained(run: Run, sids: list[str], timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and any(not run.got.get(sid) for sid in sids):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # a doubled event would come right behind


async def _connected(desks: list[Desk], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while any(not desk.connected_at for desk in desks):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{sum(not d.connected_at for d in desks)} desks not connected within {timeout_s} s")
        await asyncio.sleep(0.05)


async def _one_relay(folder: Path) -> list[dict[str, Any]]:
    run, rng = Run(), random.Random(1)
    with relay_processes(None, 1, PUBLIC_URL, folder / "one", AUTH_TOKEN, SECRET) as relays:
        desks = [Desk(worker, relays, 0, run) for worker in WORKERS]
        following = [asyncio.create_task(desk.follow()) for desk in desks]
        try:
            await _connected(desks)
            async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=200)) as client:
                sids = await _callbacks(client, relays, run, SECONDS, 1, rng, set())
            await _drained(run, sids)
        finally:
            for task in following:
                task.cancel()
    figure = timing(
        "relay_callback_to_desk_one_relay_sqlite",
        run.latencies_ms(sids),
        target="p99 ≤ 50 ms (reference)",
        unit="ms",
        digits=1,
    )
    return [{**figure, "streams": STREAMS, "rate_per_s": RATE, "lost_or_doubled": run.lost_or_doubled(sids)}]


async def _two_relays(folder: Path) -> list[dict[str, Any]]:
    run, rng = Run(), random.Random(2)
    with (
        running_redis(folder / "redis") as redis,
        relay_processes(redis.url, 2, PUBLIC_URL, folder / "two", AUTH_TOKEN, SECRET) as relays,
    ):
        desks = [Desk(worker, relays, n % 2, run) for n, worker in enumerate(WORKERS)]
        following = [asyncio.create_task(desk.follow()) for desk in desks]
        try:
            await _connected(desks)
            async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=200)) as client:
                steady = await _callbacks(client, relays, run, SECONDS, 2, rng, set())
                await _drained(run, steady)
                killed, victim = set(), 0
                on_victim = [desk for desk in desks if desk.connected_at[-1][0] == victim]

                async def kill_later() -> float:
                    await asyncio.sleep(KILL_AFTER_S)
                    killed.add(victim)
                    at = time.perf_counter()
                    relays[victim].kill()
                    return at

                killing = asyncio.create_task(kill_later())
                around = await _callbacks(client, relays, run, KILL_AFTER_S + AFTER_KILL_S, 3, rng, killed)
                killed_at = await killing
            await _drained(run, around)
        finally:
            for task in following:
                task.cancel()
    gaps = [next((t for _, t in desk.connected_at if t > killed_at), float("inf")) - killed_at for desk in on_victim]
    theirs = {desk.worker for desk in on_victim}
    hit = [sid for sid in around if run.sent[sid][0] in theirs and run.sent[sid][1] >= killed_at]
    steady_figure = timing(
        "relay_callback_to_desk_two_relays_redis", run.latencies_ms(steady), target=50.0, unit="ms", digits=1
    )
    gap_figure = timing("relay_killed_desk_gap", [min(g, 99.0) for g in gaps], target=2.0, unit="s")
    delayed = run.latencies_ms(hit)
    return [
        {**steady_figure, "streams": STREAMS, "rate_per_s": RATE, "lost_or_doubled": run.lost_or_doubled(steady)},
        {
            **gap_figure,
            "desks_on_the_killed_relay": len(on_victim),
            "never_back": sum(g == float("inf") for g in gaps),
            "their_callbacks_after_the_kill": len(hit),
            "their_callback_to_desk_max_s": round(max(delayed) / 1000, 3) if delayed else None,
        },
        {
            "name": "relay_kill_events_lost_or_doubled",
            "unit": "events",
            "value": run.lost_or_doubled(around),
            "of": len(around),
            "target": 0,
        },
    ]


async def _two_relays_on_a_cluster(folder: Path) -> list[dict[str, Any]]:
    """The same floor on two relays sharing a three-primary Redis Cluster with replicas (each callback answered once
    a replica has it: agent_desktop_relay/store_redis_cluster.py), the same run as the others."""
    run, rng = Run(), random.Random(4)
    with (
        running_redis_cluster(folder / "cluster") as cluster,
        relay_processes(cluster.url, 2, PUBLIC_URL, folder / "cluster-relays", AUTH_TOKEN, SECRET) as relays,
    ):
        desks = [Desk(worker, relays, n % 2, run) for n, worker in enumerate(WORKERS)]
        following = [asyncio.create_task(desk.follow()) for desk in desks]
        try:
            await _connected(desks)
            async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=200)) as client:
                sids = await _callbacks(client, relays, run, SECONDS, 5, rng, set())
            await _drained(run, sids)
        finally:
            for task in following:
                task.cancel()
    figure = timing(
        "relay_callback_to_desk_two_relays_cluster", run.latencies_ms(sids), target=50.0, unit="ms", digits=1
    )
    return [{**figure, "streams": STREAMS, "rate_per_s": RATE, "lost_or_doubled": run.lost_or_doubled(sids)}]


async def _measure() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-relay-") as folder:
        return [
            *await _one_relay(Path(folder)),
            *await _two_relays(Path(folder)),
            *await _two_relays_on_a_cluster(Path(folder)),
        ]


def run() -> Iterator[dict[str, Any]]:
    yield from asyncio.run(_measure())


def main() -> None:
    import json

    for figure in run():
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
