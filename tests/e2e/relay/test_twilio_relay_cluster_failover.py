"""A primary of the relays' Redis Cluster killed while callbacks pour in (agent_desktop_relay/store_redis_cluster.py):
every callback answered (204) is on its worker's stream once, after the failover, read through a relay that
started after it; a callback retried after a 503 (as Twilio retries) is never kept twice. The primary's replica
is cut off (stopped, its link closed) for a moment before the primary dies, as a replica behind a slow link is: the relay answers only once a replica
has each write (`WAIT 1`), so the replica that takes over has whatever was answered. (Without the WAIT, this test
finds answered callbacks lost.)"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desktop_relay.store_redis_cluster import ClusterStore
from tests.support.process_group import signal_group
from tests.support.redis_cluster import RedisCluster, running_redis_cluster

pytestmark = pytest.mark.exclusive  # six redis-servers, a failover

WORKERS = [f"WK{n:032x}" for n in range(48)]  # spread over the three primaries' slots
CALLBACKS = 480
SENDERS = 8  # callbacks in flight at once, as Twilio's from a busy floor
DEADLINE_S = 120.0  # the whole load, failover and recovery included: a bound, not a figure


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[RedisCluster]:
    with running_redis_cluster(tmp_path / "cluster") as running:
        yield running


def callback(n: int) -> dict[str, str]:
    """A reservation offered to one worker, for a task of its own (a change of the map and an event each)."""
    return {
        "EventType": "reservation.created",
        "WorkerSid": WORKERS[n % len(WORKERS)],
        "TaskSid": f"WT{n:032x}",
        "TaskAttributes": json.dumps({"conversationSid": f"CH{n % 7:032x}"}),
    }


async def test_a_primary_killed_under_load_loses_no_callback_answered_and_doubles_none(
    cluster: RedisCluster, tmp_path: Path
) -> None:
    relays = [ClusterStore(cluster.url, prefix="fail:") for _ in range(2)]
    answered: set[int] = set()
    pending = iter(range(CALLBACKS))
    third = asyncio.Event()
    at_kill: list[int] = []  # how many were answered when the primary died
    deadline = time.monotonic() + DEADLINE_S

    async def send(relay: ClusterStore) -> None:
        for n in pending:
            while True:  # Twilio retries a callback not answered 204; here, until it is, within the bound
                assert time.monotonic() < deadline, f"{len(answered)} of {CALLBACKS} answered in {DEADLINE_S} s"
                try:
                    await relay.record(f"request-{n}", callback(n), 1_700_000_000_000 + n)
                except Exception:  # answered 503: not kept, or kept and not yet on a replica
                    await asyncio.sleep(0.05)
                    continue
                answered.add(n)  # (None: a replay, answered 204 too: kept by a try whose answer was lost)
                if len(answered) >= CALLBACKS // 3:
                    third.set()
                break

    async def fail_over() -> str:
        await asyncio.wait_for(third.wait(), DEADLINE_S)
        victim = cluster.primary_of(f"fail:events:{{{WORKERS[0]}}}")
        replica = cluster.replica_of(victim)
        signal_group(replica.process, signal.SIGSTOP)  # it lags, then loses its link: writes on the primary alone
        try:
            cluster.cli(victim.port, "client", "kill", "type", "replica")
            await asyncio.sleep(0.5)  # (less than the node timeout: the replica is not failed itself)
            cluster.kill(victim)
            at_kill.append(len(answered))
        finally:
            signal_group(replica.process, signal.SIGCONT)
        await asyncio.to_thread(cluster.wait_ok, with_replicas=False)  # its replica promoted
        cluster.restart(victim)  # back as the new primary's replica, as its service manager would start it
        await asyncio.to_thread(cluster.wait_ok)
        return f"killed the primary on {victim.port}"

    senders = [asyncio.create_task(send(relays[n % 2])) for n in range(SENDERS)]
    await asyncio.gather(fail_over(), *senders)
    assert answered == set(range(CALLBACKS))
    assert at_kill, "the primary was killed"
    assert at_kill[0] < CALLBACKS - 100, "the kill came with callbacks still pouring in"

    after = ClusterStore(cluster.url, prefix="fail:")  # a relay started after the failover
    try:
        kept = Counter[str]()
        for worker in WORKERS:
            for event in await after.after(worker, None, limit=10_000):
                kept[json.loads(event.data)["TaskSid"]] += 1
        assert {task for task, times in kept.items() if times > 1} == set(), "kept twice"
        lost = [n for n in sorted(answered) if kept[f"WT{n:032x}"] != 1]
        assert lost == [], f"answered 204 and lost: {lost[:10]} ({len(lost)})"
        # The map survived too: a message of a conversation goes to every worker offered one of its tasks.
        message = {"EventType": "onMessageAdded", "ConversationSid": f"CH{0:032x}"}
        to = await after.record("message", message, 1)
        assert to, "the conversation's tasks and their offers were kept through the failover"
        assert {k.worker for k in to} <= {WORKERS[n % len(WORKERS)] for n in range(0, CALLBACKS, 7)}
    finally:
        for relay in (*relays, after):
            await relay.aclose()
