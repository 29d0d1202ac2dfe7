"""`make bench BENCH=relay_floor`: the Twilio relay under a floor of 10,000 workers and 1,000 transcribed calls, on a
three-primary Redis Cluster with replicas beside one Redis, in the same run, each behind two relays.

Each floor: every worker's stream made first (one signed callback each through the relays: a `reservation.accepted`
naming its call for the 1,000 workers on a call, a `worker.activity.update` for the others), then `SECONDS` of load
(`BENCH_FLOOR_SECONDS`, 30) at `FRACTION` (`BENCH_FLOOR_FRACTION`, 0.05) of the event rate docs/backends.md's
capacity model gives such a floor (benchmarks/floor_load.py: 0.05 state callbacks a worker a second, 2 lines a call
a second), spread over every worker and every call and stopping by itself. Desks follow a sample: 1,000 workers'
streams (every tenth worker, the holders of the calls among them) and 200 calls' lines (every fifth call, followed by
the desk holding it); a callback's latency is from its POST to its event parsed at the desk following it. Memory:
Redis's `INFO memory` (`used_memory`, summed over the primaries) before and after the streams are made, and `MEMORY
USAGE` of every key at the end, by owner (a worker's keys, a call's, the replay window's, the routing map's). Redis
and relays are processes of their own, every wait is bounded (a callback refused four times, or unanswered a minute
after the load, is counted as `unanswered`), a relay that dies unasked ends the run with an error, and everything is
stopped at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster as ClusterClient
from twilio.request_validator import RequestValidator

from agent_desktop_relay.credentials import reader_token
from benchmarks.figures import percentile, timing
from benchmarks.floor_load import Send, floor_rates, floor_schedule
from tests.support.redis_cluster import running_redis_cluster
from tests.support.redis_server import running_redis
from tests.support.relay_cluster import RelayProcess, relay_processes

WORKERS = [f"WK{n:032x}" for n in range(10_000)]
CALLS = [f"CA{n:032x}" for n in range(1_000)]
HOLDER = {call: WORKERS[n * 10] for n, call in enumerate(CALLS)}  # call n is held by worker 10·n
FOLLOWED_WORKERS = WORKERS[::10]
FOLLOWED_CALLS = CALLS[::5]
FRACTION = float(os.environ.get("BENCH_FLOOR_FRACTION", "0.05"))
SECONDS = float(os.environ.get("BENCH_FLOOR_SECONDS", "30"))
SEED_AT_ONCE = 32  # callbacks in flight while the streams are made
AUTH_TOKEN, SECRET = "bench-floor-auth-token", "bench-floor-secret-0123456789abcdef"
PUBLIC_URL = "https://relay.bench.invalid/twilio/events"
SAID = "thanks for waiting I can see the order you placed on Tuesday and it is on its way"
KEY_OWNER = re.compile(r"(WK|CA)[0-9a-f]{32}")


class Arrivals:
    """When each callback was posted, answered, and first seen at a desk (and how often)."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.answered_ms: list[float] = []
        self.answered: set[str] = set()
        self.unanswered = 0  # refused four times, or still unanswered a minute after the load's end
        self.got: dict[str, list[float]] = {}

    def seen(self, data: bytes) -> None:
        params = json.loads(data)
        ident = params.get("Sid") or f"{params.get('CallSid')}/{params.get('SequenceId')}"
        self.got.setdefault(ident, []).append(time.perf_counter())

    def latencies_ms(self, idents: list[str]) -> list[float]:
        return [(self.got[i][0] - self.sent[i]) * 1000 for i in idents if self.got.get(i)]

    def missing_or_doubled(self, idents: list[str]) -> int:
        """Of the callbacks answered 204: those not at their desk once (a 204 is the relay's promise)."""
        return sum(len(self.got.get(i, ())) != 1 for i in idents if i in self.answered)


def _state(worker: str, sid: str) -> dict[str, str]:
    return {"EventType": "worker.activity.update", "WorkerSid": worker, "Sid": sid, "WorkerActivityName": "Available"}


def _accepted(worker: str, call: str, sid: str) -> dict[str, str]:
    return {
        "EventType": "reservation.accepted",
        "WorkerSid": worker,
        "Sid": sid,
        "TaskSid": "WT" + call[2:],
        "ReservationSid": "WR" + call[2:],
        "TaskAttributes": json.dumps({"call_sid": call}),
    }


def _line(call: str, sequence: int) -> dict[str, str]:
    final, words = sequence % 4 == 0, SAID.split()
    return {
        "CallSid": call,
        "TranscriptionSid": "GT" + call[2:],
        "TranscriptionEvent": "transcription-content",
        "SequenceId": str(sequence),
        "Track": "inbound_track" if sequence % 8 < 4 else "outbound_track",
        "Final": "true" if final else "false",
        "Timestamp": "2026-11-29T09:30:00.000000Z",
        "TranscriptionData": json.dumps({"transcript": SAID if final else " ".join(words[: 6 + sequence % 10])}),
    }


async def _post(client: httpx.AsyncClient, relays: list[RelayProcess], n: int, params: dict[str, str]) -> float:
    """The callback signed as Twilio signs it, to relay `n` of the two (the other if it refuses): ms to its 204."""
    signature = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL, params)}
    started = time.perf_counter()
    why = "no answer"
    for attempt in range(4):  # a retry of the same signed request is kept once (the replay window)
        relay = relays[(n + attempt) % len(relays)]
        try:
            answer = await client.post(f"{relay.url}/twilio/events", data=params, headers=signature)
        except httpx.TransportError as error:  # a relay too far behind to answer within the client's timeout
            why = repr(error)
            continue
        if answer.status_code == 204:
            return (time.perf_counter() - started) * 1000
        why = f"{answer.status_code} {answer.text[:200]}"
    raise Unanswered(f"no relay took the callback {params.get('Sid') or params.get('CallSid')} ({why})")


class Unanswered(RuntimeError):
    """Four tries of a callback, none answered 204."""


def _alive(relays: list[RelayProcess]) -> None:
    for n, relay in enumerate(relays):
        if relay.process.poll() is not None:
            raise RuntimeError(f"relay {n} exited with {relay.process.returncode} ({relay.log})")


async def _seed(client: httpx.AsyncClient, relays: list[RelayProcess]) -> float:
    """One callback for every worker (its stream made), SEED_AT_ONCE in flight; the callbacks a second it took."""
    calls_of = {worker: call for call, worker in HOLDER.items()}
    gate, started = asyncio.Semaphore(SEED_AT_ONCE), time.perf_counter()

    async def one(n: int, worker: str) -> None:
        async with gate:
            call = calls_of.get(worker)
            sid = f"EVa0{n:030x}"
            await _post(client, relays, n, _accepted(worker, call, sid) if call else _state(worker, sid))

    await asyncio.wait_for(asyncio.gather(*(one(n, worker) for n, worker in enumerate(WORKERS))), 300)
    _alive(relays)
    return len(WORKERS) / (time.perf_counter() - started)


async def _follow(port: int, path: str, reader_of: str, arrivals: Arrivals, opened: asyncio.Event) -> None:
    """One desk's stream, read as the desk reads it: reconnected after 0.25 s on loss, resumed by Last-Event-ID."""
    last_id: str | None = None
    while True:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5.0)
        except (OSError, TimeoutError):
            await asyncio.sleep(0.25)
            continue
        try:
            resume = f"Last-Event-ID: {last_id}\r\n" if last_id else ""
            token = reader_token(SECRET, reader_of)
            writer.write(
                f"GET {path} HTTP/1.0\r\nHost: relay\r\nAuthorization: Bearer {token}\r\n{resume}\r\n".encode()
            )
            status = await reader.readline()
            if b" 200 " not in status:
                raise OSError(f"the relay answered {status!r} to {path}")
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            event_id, data = None, b""
            while line := await reader.readline():
                if line.startswith(b": connected"):
                    opened.set()
                elif line.startswith(b"id: "):
                    event_id = line[4:].strip().decode()
                elif line.startswith(b"data: "):
                    data = line[6:]
                elif line == b"\n":
                    last_id = event_id or last_id
                    if data:
                        arrivals.seen(data)
                    data = b""
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
        await asyncio.sleep(0.25)


@asynccontextmanager
async def _desks(relays: list[RelayProcess], arrivals: Arrivals) -> AsyncIterator[None]:
    """The sampled desks following their streams, split between the relays, each open before this yields."""
    paths = [(f"/v1/Workers/{worker}/Events", worker) for worker in FOLLOWED_WORKERS]
    paths += [(f"/v1/Workers/{HOLDER[call]}/Calls/{call}/Lines", HOLDER[call]) for call in FOLLOWED_CALLS]
    opened = [asyncio.Event() for _ in paths]
    tasks = [
        asyncio.create_task(_follow(relays[n % len(relays)].port, path, who, arrivals, opened[n]))
        for n, (path, who) in enumerate(paths)
    ]
    try:
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in opened)), 90)
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _load(client: httpx.AsyncClient, relays: list[RelayProcess], arrivals: Arrivals) -> list[Send]:
    """The floor's schedule, each callback on its own (a slow one delays none of the next), then bounded waits."""
    schedule, posts, start = floor_schedule(WORKERS, CALLS, SECONDS, FRACTION, seed=7), [], time.perf_counter()

    async def post(n: int, send: Send, ident: str, params: dict[str, str]) -> None:
        arrivals.sent[ident] = time.perf_counter()
        try:
            arrivals.answered_ms.append(await _post(client, relays, n, params))
        except Unanswered:
            arrivals.unanswered += 1  # Twilio would see a failed callback: counted, the load goes on
            return
        arrivals.answered.add(ident)

    for n, send in enumerate(schedule):
        await asyncio.sleep(max(0.0, start + send.at_s - time.perf_counter()))
        if n % 200 == 0:
            _alive(relays)
        ident = f"EVb0{n:030x}" if send.kind == "state" else f"{send.who}/{send.sequence}"
        params = _state(send.who, ident) if send.kind == "state" else _line(send.who, send.sequence)
        posts.append(asyncio.create_task(post(n, send, ident, params)))
    _, late = await asyncio.wait(posts, timeout=60)  # a relay this far behind: its callbacks counted, not awaited
    for post_task in late:
        post_task.cancel()
    arrivals.unanswered += len(late)
    for post_task in posts:
        if post_task.done() and not post_task.cancelled() and post_task.exception() is not None:
            raise post_task.exception()  # type: ignore[misc]
    awaited = [i for i in _followed(schedule) if i in arrivals.answered]  # an unanswered one may never come
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(not arrivals.got.get(i) for i in awaited):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # a doubled event would come right behind
    return schedule


def _followed(schedule: list[Send]) -> list[str]:
    workers, calls = set(FOLLOWED_WORKERS), set(FOLLOWED_CALLS)
    return [
        f"EVb0{n:030x}" if send.kind == "state" else f"{send.who}/{send.sequence}"
        for n, send in enumerate(schedule)
        if (send.who in workers if send.kind == "state" else send.who in calls)
    ]


async def _used_memory(redis: Redis | ClusterClient) -> int:
    if isinstance(redis, ClusterClient):
        found = await redis.info("memory", target_nodes=ClusterClient.PRIMARIES)
        return sum(int(info["used_memory"]) for info in found.values())
    return int((await redis.info("memory"))["used_memory"])


async def _redis_cpu_s(redis: Redis | ClusterClient) -> float:
    """Redis's CPU seconds (user + sys): on a cluster, summed over every node, the replicas' replication with it."""
    if isinstance(redis, ClusterClient):
        found = await redis.info("cpu", target_nodes=ClusterClient.ALL_NODES)
        return sum(float(info["used_cpu_sys"]) + float(info["used_cpu_user"]) for info in found.values())
    info = await redis.info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def _relays_cpu_s(relays: list[RelayProcess]) -> float:
    """The relays' CPU seconds (user + sys, from /proc: fields 14 and 15 of each one's stat)."""
    total = 0
    for relay in relays:
        fields = Path(f"/proc/{relay.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def _key_bytes(redis: Redis | ClusterClient) -> dict[str, int]:
    """`MEMORY USAGE` of every key, summed by owner: a worker's, a call's, the replay window's, the rest (the map)."""
    keys = [str(key) async for key in redis.scan_iter(match="relay:*", count=1000)]
    sizes = {"worker": 0, "call": 0, "replay_window": 0, "map_and_shared": 0}
    for at in range(0, len(keys), 500):
        chunk = keys[at : at + 500]
        pipe = redis.pipeline() if isinstance(redis, ClusterClient) else redis.pipeline(transaction=False)
        for key in chunk:
            pipe.memory_usage(key, samples=0)
        used = await pipe.execute()
        for key, size in zip(chunk, used, strict=True):
            owner = KEY_OWNER.search(key)
            kind = (
                "replay_window"
                if key.startswith("relay:taken:")
                else ("worker" if owner.group(1) == "WK" else "call")
                if owner and not key.startswith(("relay:task:", "relay:conversation:", "relay:said:"))
                else "map_and_shared"
            )
            sizes[kind] += int(size or 0)
    return sizes


async def _floor(where: str, relays: list[RelayProcess], redis: Redis | ClusterClient) -> list[dict[str, Any]]:
    arrivals = Arrivals()
    async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=200)) as client:
        before = await _used_memory(redis)
        seed_rate = await _seed(client, relays)
        print(f"{where}: {len(WORKERS)} streams made, {seed_rate:.0f} a second", file=sys.stderr, flush=True)
        after_seed = await _used_memory(redis)
        async with _desks(relays, arrivals):
            cpu_before = await _redis_cpu_s(redis), _relays_cpu_s(relays)
            schedule = await _load(client, relays, arrivals)
            cpu_after = await _redis_cpu_s(redis), _relays_cpu_s(relays)
        after_load = await _used_memory(redis)
    _alive(relays)
    keys = await _key_bytes(redis)
    followed = _followed(schedule)
    states = [i for i in followed if i.startswith("EV")]
    lines = [i for i in followed if not i.startswith("EV")]
    redis_ms = (cpu_after[0] - cpu_before[0]) * 1000 / len(schedule)
    relay_ms = (cpu_after[1] - cpu_before[1]) * 1000 / len(schedule)
    state_rate, line_rate = floor_rates(len(WORKERS), len(CALLS), FRACTION)
    floor = {
        "workers": len(WORKERS),
        "calls": len(CALLS),
        "fraction_of_floor_rate": FRACTION,
        "states_per_s": round(state_rate, 1),
        "lines_per_s": round(line_rate, 1),
        "seconds": SECONDS,
        "callbacks": len(schedule),
        "followed_desks": len(FOLLOWED_WORKERS),
        "followed_calls": len(FOLLOWED_CALLS),
    }
    return [
        {
            **timing(f"relay_floor_callback_to_desk_{where}", arrivals.latencies_ms(followed), 50.0, "ms", 1),
            **floor,
            "states_p99_ms": round(percentile(arrivals.latencies_ms(states), 0.99), 1),
            "lines_p99_ms": round(percentile(arrivals.latencies_ms(lines), 0.99), 1),
            "callback_answered_p50_ms": round(percentile(arrivals.answered_ms, 0.5), 1),
            "callback_answered_p99_ms": round(percentile(arrivals.answered_ms, 0.99), 1),
            "lost_or_doubled": arrivals.missing_or_doubled(followed),
            "unanswered": arrivals.unanswered,
            "redis_cpu_ms_per_callback": round(redis_ms, 3),
            "relay_cpu_ms_per_callback": round(relay_ms, 3),
            "cores_at_the_full_floor_rate": round(
                (redis_ms + relay_ms) * sum(floor_rates(10_000, 1_000, 1.0)) / 1000, 1
            ),
            "streams_made_per_s": round(seed_rate),
        },
        {
            "name": f"relay_floor_memory_{where}",
            "unit": "bytes",
            "value": round(keys["worker"] / len(WORKERS)),
            "target": "report",
            "redis_bytes_per_worker_keys": round(keys["worker"] / len(WORKERS)),
            "redis_bytes_per_call_keys": round(keys["call"] / len(CALLS)),
            "lines_per_call": round(sum(s.kind == "line" for s in schedule) / len(CALLS), 1),
            "redis_replay_window_bytes": keys["replay_window"],
            "redis_map_and_shared_bytes": keys["map_and_shared"],
            "used_memory_per_worker_made": round((after_seed - before) / len(WORKERS)),
            "used_memory_load_delta": after_load - after_seed,
            "used_memory_total": after_load,
            "primaries": 3 if isinstance(redis, ClusterClient) else 1,
        },
    ]


async def _one_redis(folder: Path) -> list[dict[str, Any]]:
    with (
        running_redis(folder / "one", "--maxclients", "20000") as server,
        relay_processes(server.url, 2, PUBLIC_URL, folder / "one-relays", AUTH_TOKEN, SECRET) as relays,
    ):
        redis = Redis.from_url(server.url, decode_responses=True)
        try:
            return await _floor("one_redis", relays, redis)
        finally:
            await redis.aclose()


async def _cluster(folder: Path) -> list[dict[str, Any]]:
    with (
        running_redis_cluster(folder / "cluster") as cluster,
        relay_processes(cluster.url, 2, PUBLIC_URL, folder / "cluster-relays", AUTH_TOKEN, SECRET) as relays,
    ):
        client = ClusterClient.from_url(f"redis://127.0.0.1:{cluster.nodes[0].port}/0", decode_responses=True)
        try:
            return await _floor("cluster", relays, client)
        finally:
            await client.aclose()


def run() -> Iterator[dict[str, Any]]:
    """One floor after the other, each one's figures out as soon as it is done (the cluster's take longest)."""
    with tempfile.TemporaryDirectory(prefix="bench-relay-floor-") as folder:
        yield from asyncio.run(_one_redis(Path(folder)))
        yield from asyncio.run(_cluster(Path(folder)))


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure), flush=True)
