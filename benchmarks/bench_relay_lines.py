"""`make bench BENCH=relay_lines`: what one transcript line costs the relay's Redis, on its call's own stream beside
the path it took before (through the workers' routing onto the stream of the worker holding the call, its request in
the six-hour replay window), in the same run, on one Redis primary and on a three-primary Redis Cluster with replicas.

Each run: 20 calls, each taken by its own worker (a `reservation.accepted` naming the call), then `LINES` lines
(interim and final, both tracks) through the store's `record`, as the app keeps them (`transcription_line`). Per
line: the bytes of its keys in Redis (`MEMORY USAGE` of every key of the run, after minus before, by kind: streams,
the replay window's marks, a stream's marks of requests kept on it (a cluster's), the map), Redis's CPU (`INFO
cpu`, user + sys, summed over the primaries: with replication on a cluster) and this process's (the store's Python
and its client: the relay's share), and how long its marks live. "Before" is the previous path reproduced by
turning off the one test that sends a line to its call's stream (`call_of_line`, patched to answer None in this
process only); everything else is the code as it is. Every wait is bounded by the servers' own start-up checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from redis.asyncio.cluster import RedisCluster as ClusterClient

from agent_desktop_relay import store_redis, store_redis_cluster
from agent_desktop_relay.store import LINE_WINDOW_S, LINES_KEPT_S
from agent_desktop_relay.store_redis import RedisStore
from agent_desktop_relay.store_redis_cluster import KEPT_WINDOW_S, ClusterStore
from agent_desktop_relay.transcription import transcription_line
from tests.support.redis_cluster import running_redis_cluster
from tests.support.redis_server import running_redis

CALLS, LINES = 20, 2000
SAID = "thanks for waiting I can see the order you placed on Tuesday and it is on its way"
_prefixes = itertools.count()


def _calls() -> list[tuple[str, str, str]]:
    return [(f"CA{n:032x}", f"WT{n:032x}", f"WK{n:032x}") for n in range(CALLS)]


def _line(call: str, sequence: int) -> dict[str, str]:
    words = SAID.split()
    final = sequence % 4 == 0
    text = " ".join(words[: 6 + sequence % 10]) if not final else SAID
    line = transcription_line(
        {
            "CallSid": call,
            "TranscriptionSid": "GT" + call[2:],
            "TranscriptionEvent": "transcription-content",
            "SequenceId": str(sequence),
            "Track": "inbound_track" if sequence % 8 < 4 else "outbound_track",
            "Final": "true" if final else "false",
            "Timestamp": "2026-11-29T09:30:00.000000Z",
            "TranscriptionData": json.dumps({"transcript": text, "confidence": 0.9}),
        }
    )
    assert line is not None
    return line


async def _figures(store: RedisStore) -> tuple[dict[str, int], float]:
    """The bytes of the store's keys by kind (`MEMORY USAGE` of each: streams, marks of requests taken, the map) and
    Redis's CPU (seconds, summed over the primaries)."""
    kinds = {"events": "stream", "newest": "stream", "taken": "replay_marks", "kept": "stream_marks"}
    sizes = {"stream": 0, "replay_marks": 0, "stream_marks": 0, "map": 0}
    async for key in store._redis.scan_iter(match=f"{store._prefix}*", count=1000):
        kind = kinds.get(str(key).removeprefix(store._prefix).split(":")[0], "map")
        sizes[kind] += int(await store._redis.memory_usage(key, samples=0) or 0)
    if isinstance(store, ClusterStore):
        cpu = await store._redis.info("cpu", target_nodes=ClusterClient.PRIMARIES)
        return sizes, sum(float(info["used_cpu_sys"]) + float(info["used_cpu_user"]) for info in cpu.values())
    found = await store._redis.info("cpu")
    return sizes, float(found["used_cpu_sys"]) + float(found["used_cpu_user"])


async def _lines(url: str, kind: type[RedisStore], path: str, where: str) -> dict[str, Any]:
    store = kind(url, prefix=f"b{next(_prefixes)}:")
    keys = itertools.count()
    try:
        for call, task, worker in _calls():
            accepted = {
                "EventType": "reservation.accepted",
                "WorkerSid": worker,
                "TaskSid": task,
                "TaskAttributes": json.dumps({"call_sid": call}),
            }
            await store.record(f"r{next(keys)}", accepted, int(time.time() * 1000))
        memory_before, cpu_before = await _figures(store)
        started = time.process_time()
        for n in range(LINES):
            call = _calls()[n % CALLS][0]
            await store.record(f"l{next(keys)}", _line(call, 1 + n // CALLS), int(time.time() * 1000))
        relay_cpu_s = time.process_time() - started
        memory_after, cpu_after = await _figures(store)
        on_call = len(await store.after(_calls()[0][0], None, LINES))
        on_worker = len(await store.after(_calls()[0][2], None, LINES))
    finally:
        await store.aclose()
    return {
        "name": f"relay_transcript_line_{where}_{path}",
        "lines": LINES,
        "calls": CALLS,
        **{
            f"redis_{kind}_bytes_per_line": round((memory_after[kind] - memory_before[kind]) / LINES)
            for kind in memory_after
        },
        "redis_cpu_ms_per_line": round((cpu_after - cpu_before) * 1000 / LINES, 3),
        "relay_cpu_ms_per_line": round(relay_cpu_s * 1000 / LINES, 3),
        "replay_mark_s": LINE_WINDOW_S if path == "call_stream" else 6 * 3600,
        "stream_mark_s": (LINE_WINDOW_S if path == "call_stream" else KEPT_WINDOW_S) if kind is ClusterStore else 0,
        "stream_s": LINES_KEPT_S if path == "call_stream" else "until pushed out of the worker's keep",
        "lines_on_first_calls_stream": on_call,
        "events_on_its_workers_stream": on_worker,
    }


async def _both(url: str, kind: type[RedisStore], where: str) -> list[dict[str, Any]]:
    now = await _lines(url, kind, "call_stream", where)
    with contextlib.ExitStack() as previous:  # the path before: lines through the workers' routing
        for module in (store_redis, store_redis_cluster):
            previous.enter_context(mock.patch.object(module, "call_of_line", return_value=None))
        before = await _lines(url, kind, "worker_stream_before", where)
    return [before, now]


async def _measure() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-relay-lines-") as folder:
        with running_redis(Path(folder) / "one") as server:
            figures = await _both(server.url, RedisStore, "one_redis")
        with running_redis_cluster(Path(folder) / "cluster") as cluster:
            figures += await _both(cluster.url, ClusterStore, "cluster")
    return figures


def run() -> Iterator[dict[str, Any]]:
    yield from asyncio.run(_measure())


def main() -> None:
    for figure in run():
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
