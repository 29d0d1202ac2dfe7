"""The relays' shared state on a Redis Cluster (Redis 7): the Redis store (agent_desktop_relay/store_redis.py) for a
floor too big for one primary, each script in one slot, no key every callback writes (docs/backends.md, "A cluster").

Keys, under the prefix, each hash-tagged by what it belongs to, so that a worker's keys share one slot, a task's
its own, a conversation's (or a call's) its own:
- `events:{CA…}` a transcribed call's lines, `newest:{CA…}`, `kept:{CA…}:…` and `arrived:{CA…}` likewise, in the
  call's slot (each line one script there), kept briefly (agent_desktop_relay/store.py, `LINES_KEPT_S`);
- `events:{WK…}` the worker's stream, `newest:{WK…}` the newest id handed out on it (ids grow per worker: a desk
  reads only its own stream), `kept:{WK…}:{sha256}` the id a request was kept as on it (a retry finds it, not a
  second copy), and the sharded channel `arrived:{WK…}` (SPUBLISH) that wakes the relays serving that desk only;
- `task:{WT…}` the task's route; `conversation:{CH…}` (or `{CA…}`, a call) the tasks that named it, and the
  call's tracks `said:{CA…}:role`, in the conversation's slot: the one structure that spans workers lives with
  the conversation, not with any worker;
- `taken:sha256` the replay window, spread over the slots by the request's hash.

A callback is kept in steps, each one script in one slot, each written to a replica before the next (`WAIT 1`):
the routing rules run on a snapshot of the map (as on one primary); the map's change is made in its home slot
(the task's, or a call's track), compare-and-set on what the rules read there, again from the start if another
relay changed it; a conversation's new task linked in the conversation's slot (linking twice is linking once);
then the event appended to each worker's stream, in that worker's slot, once per request whatever retries it;
then the request is marked taken. A relay killed or a primary lost between two steps answers no 204 (Twilio
retries; the retry redoes what was not done and finds what was). What one primary's script did atomically, a
cluster does per slot: a message racing the accept of its task may go to the workers it was offered to, as if
it had come a moment earlier.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.asyncio.cluster import PipelineCommand, RedisCluster
from redis.exceptions import RedisClusterException, RedisError

from agent_desktop_relay.store import (
    LINE_WINDOW_S,
    LINES_KEEP,
    LINES_KEPT_S,
    RECEIVED_KEY,
    Kept,
    Wakeups,
    call_of_line,
)
from agent_desktop_relay.store_redis import (
    ATTEMPTS,
    CONVERSATION_TASKS,
    LISTEN_S,
    POOL,
    RESUBSCRIBE_S,
    ROUTE_CHANGES,
    ROUTE_CHECKS,
    SEQ,
    RedisStore,
    _encoded,
    _Table,
    event_id,
)

log = logging.getLogger("twilio_relay")
CLUSTER_SCHEMES = ("redis+cluster", "rediss+cluster")
KEPT_WINDOW_S = 3600  # how long a worker's stream remembers a request it kept (a retry comes within seconds)
REPLICA_WAIT_MS = 1000  # how long a write may wait for its replica before the callback is answered 503

# The map's change, in one slot: the KEEP script's checks and writes (store_redis.py's ROUTE_CHECKS and
# ROUTE_CHANGES), without the streams.
MAP = (
    """
local plan = cjson.decode(ARGV[1])
"""
    + ROUTE_CHECKS
    + ROUTE_CHANGES
    + """return {'done'}
"""
)

# One event on one worker's (or call's) stream, in its slot: KEYS stream, newest, kept; ARGV keep, seq, type, data,
# kept window, channel, how long the stream lives after it (0: for ever, a worker's). A request kept already answers its id (and writes, so that WAIT covers it on this connection).
APPEND = """
local had = redis.call('GET', KEYS[3])
if had then
  redis.call('EXPIRE', KEYS[3], ARGV[5])
  return had
end
local clock = redis.call('TIME')
local ms, seq = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000), 0
local newest = redis.call('GET', KEYS[2])
if newest then
  local last_ms, last_seq = string.match(newest, '^(%d+)-(%d+)$')
  last_ms, last_seq = tonumber(last_ms), tonumber(last_seq)
  if ms <= last_ms then ms, seq = last_ms, last_seq + 1 end
end
if seq >= tonumber(ARGV[2]) then ms, seq = ms + 1, 0 end
local id = string.format('%.0f-%d', ms, seq)
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], id, 'type', ARGV[3], 'data', ARGV[4])
redis.call('SET', KEYS[2], id)
if tonumber(ARGV[7]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  redis.call('EXPIRE', KEYS[2], ARGV[7])
end
redis.call('SET', KEYS[3], id, 'EX', ARGV[5])
redis.call('SPUBLISH', ARGV[6], '1')
return id
"""


class NotOnReplica(RedisError):
    """A write its primary took that no replica acknowledged in time: not answered 204 (a failover could lose it)."""


def is_cluster_url(url: str) -> bool:
    return urlsplit(url).scheme in CLUSTER_SCHEMES


def node_url(url: str) -> str:
    """`redis+cluster://host:port` as the URL of that one node (`redis://host:port`), which the client starts from."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.removesuffix("+cluster"), path=""))


class ClusterStore(RedisStore):
    """The Redis store on a cluster: `url` is `redis+cluster://host:port` of any node (the client finds the others);
    `replicas`: how many replicas must have each write before a callback is answered."""

    def __init__(
        self,
        url: str,
        *,
        keep: int = 1000,
        replay_window_s: float = 6 * 3600,
        route_ttl_s: float = 7 * 86400,
        prefix: str = "relay:",
        replicas: int = 1,
    ) -> None:
        self._replicas = replicas  # replicas a write waits for (0: none, answered as the primary takes it; benchmarks)
        self._redis: Any = RedisCluster.from_url(
            node_url(url),
            max_connections=POOL,
            decode_responses=True,
            socket_connect_timeout=5,
            socket_timeout=10,
            health_check_interval=10,
        )
        self._keep, self._window_s, self._ttl_s, self._prefix = (
            keep,
            max(1, int(replay_window_s)),
            max(1, int(route_ttl_s)),
            prefix,
        )
        self._kept_window_s = min(self._window_s, KEPT_WINDOW_S)
        # Commands in flight at once, at most: the cluster client opens up to POOL connections a node and then
        # fails a command at once (MaxConnectionsError) rather than queue it, as the one-primary pool does.
        self._in_flight = asyncio.Semaphore(POOL)
        self._wakeups = Wakeups()
        self._pubsubs: dict[str, PubSub] = {}  # node name → its shard subscriptions
        self._subscribed: set[str] = set()
        self._listeners: dict[str, asyncio.Task[None]] = {}
        self._subscribing = asyncio.Lock()
        self._resubscribe_s = RESUBSCRIBE_S

    def _stream(self, worker: str) -> str:
        return f"{self._prefix}events:{{{worker}}}"

    def _task_key(self, sid: str) -> str:
        return f"{self._prefix}task:{{{sid}}}"

    def _conversation_key(self, sid: str) -> str:
        return f"{self._prefix}conversation:{{{sid}}}"

    def _said_key(self, track: str) -> str:
        call, _, role = track.partition(":")
        return f"{self._prefix}said:{{{call}}}:{role}"

    def _channel_of(self, worker: str) -> str:
        return f"{self._prefix}arrived:{{{worker}}}"

    # --- writing ---------------------------------------------------------------------------------------------

    async def _on_replica(self, key: str, script: str, keys: list[str], args: list[str]) -> Any:
        """`script` run in `key`'s slot, then `WAIT 1` on the same connection: its answer once a replica has it.
        Sent as one pipeline to the slot's primary, never retried nor redirected by the client (its pipeline
        re-sends only the commands that failed: a WAIT alone, on a new connection, waits for nothing and would
        confirm a write the dead primary took with it). Any failure is the caller's 503; the slots are read again."""
        await self._redis.initialize()  # the slots' owners known (a no-op once they are)
        node = self._redis.get_node_from_key(key)
        commands = [
            PipelineCommand(0, "EVAL", script, len(keys), *keys, *args),
            PipelineCommand(1, "WAIT", self._replicas, REPLICA_WAIT_MS)
            if self._replicas
            else PipelineCommand(1, "PING"),
        ]
        try:
            async with self._in_flight:
                await node.execute_pipeline(commands)
            failed = next((c.result for c in commands if isinstance(c.result, Exception)), None)
            if failed is not None:
                raise failed
        except (RedisError, OSError):
            with contextlib.suppress(RedisError, RedisClusterException, OSError):
                await self._redis.nodes_manager.initialize()  # a failover or a moved slot: learn the new owners
            raise
        answer, acked = commands[0].result, commands[1].result
        if self._replicas and (not isinstance(acked, int) or acked < self._replicas):
            raise NotOnReplica(f"no replica of {node.name} acknowledged the write within {REPLICA_WAIT_MS} ms")
        return answer

    async def _changed(self, table: _Table) -> bool:
        """The map's change, slot by slot: links first (idempotent), then the one compare-and-set. False: what the
        rules read in the change's slot is no longer so (run them again)."""
        groups: defaultdict[str, dict[str, Any]] = defaultdict(
            lambda: {"keys": [], "checks": [], "tasks": [], "said": [], "links": []}
        )

        def index(group: dict[str, Any], name: str) -> int:
            group["keys"].append(name)
            return len(group["keys"])

        for sid, route in table.changed.items():
            group = groups[self._task_key(sid)]
            group["tasks"].append(
                [index(group, self._task_key(sid)), route.owner or "", ",".join(sorted(route.offered))]
            )
            if sid in table.read_tasks:
                group["checks"].append([index(group, self._task_key(sid)), "task", _encoded(table.tasks[sid])])
        for track, said in table.said_changed.items():
            call = track.partition(":")[0]
            group = groups[self._conversation_key(call)]
            group["said"].append([index(group, self._said_key(track)), said])
            if track in table.read_saids:
                group["checks"].append([index(group, self._said_key(track)), "said", table.saids[track]])
            if call in table.read_conversations:
                group["checks"].append(
                    [index(group, self._conversation_key(call)), "conversation", ",".join(table.conversations[call])]
                )
        for conversation, task in table.links:
            group = groups[self._conversation_key(conversation)]
            group["links"].append([index(group, self._conversation_key(conversation)), task])
        for home, group in sorted(groups.items(), key=lambda item: bool(item[1]["checks"])):
            plan = {
                "checks": group["checks"],
                "tasks": group["tasks"],
                "said": group["said"],
                "links": group["links"],
                "ttl_s": self._ttl_s,
                "conversation_tasks": CONVERSATION_TASKS,
            }
            if (await self._on_replica(home, MAP, group["keys"], [json.dumps(plan)]))[0] == "retry":
                return False
        return True

    async def _append(self, worker: str, key: str, event_type: str, data: str) -> Kept:
        """On the worker's stream, or a call's (a transcription line: kept briefly, its request for minutes)."""
        stream, line = self._stream(worker), worker.startswith("CA")
        keys = [stream, f"{self._prefix}newest:{{{worker}}}", f"{self._prefix}kept:{{{worker}}}:{key}"]
        args = [
            str(LINES_KEEP if line else self._keep),
            str(SEQ),
            event_type,
            data,
            str(min(self._kept_window_s, LINE_WINDOW_S) if line else self._kept_window_s),
            self._channel_of(worker),
            str(LINES_KEPT_S if line else 0),
        ]
        sid = await self._on_replica(stream, APPEND, keys, args)
        return Kept(event_id(sid), worker, event_type, data)

    async def record(self, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        taken = f"{self._prefix}taken:{key}"
        window_s = LINE_WINDOW_S if call_of_line(params) else self._window_s
        async with self._in_flight:
            if await self._redis.exists(taken):
                return None
        for _ in range(ATTEMPTS):
            workers, kept, table = await self._routed(params)
            if await self._changed(table):
                break
        else:
            raise RuntimeError(f"the routing map kept changing under this callback ({ATTEMPTS} tries)")
        event_type = params.get("EventType", "unknown")
        data = json.dumps({**kept, RECEIVED_KEY: str(received_ms)})
        # A retry's copy already on a stream keeps the data (its RelayReceivedMs) of the first try.
        appended = await asyncio.gather(*(self._append(worker, key, event_type, data) for worker in workers))
        async with self._in_flight:
            await self._redis.set(taken, "1", ex=window_s)
        return list(appended)

    # --- reading ---------------------------------------------------------------------------------------------

    async def _fetch(
        self, table: _Table, tasks: list[str], conversations: list[str], saids: tuple[str, ...] = ()
    ) -> None:
        async with self._in_flight:
            await super()._fetch(table, tasks, conversations, saids)

    async def after(self, worker: str, last_id: int | None, limit: int = 500) -> list[Kept]:
        async with self._in_flight:
            return await super().after(worker, last_id, limit)

    async def newest(self, worker: str) -> int | None:
        """The worker's newest event (its stream's own position, not a key every callback writes)."""
        async with self._in_flight:
            found = await self._redis.get(f"{self._prefix}newest:{{{worker}}}")
        return event_id(found) if found else None

    async def wait(self, worker: str, after: int | None, timeout_s: float) -> bool:
        """Woken by the worker's sharded channel, to which this relay subscribes on its node when one of its desks
        first waits (SSUBSCRIBE: only the relays serving that desk hear of its events, not every relay and node).
        A subscription lost (its primary failed over) wakes every waiter, who reads its stream and subscribes again."""
        try:
            if worker not in self._subscribed:  # (asyncio.wait_for makes a task: not one for every heartbeat)
                await asyncio.wait_for(self._subscribe(worker), timeout_s)
        except (TimeoutError, RedisError, RedisClusterException, OSError) as error:
            log.warning("relay store: subscribing to %s's events failed (%s)", worker, error)
            await asyncio.sleep(min(timeout_s, self._resubscribe_s))
            self._resubscribe_s = min(self._resubscribe_s * 2, 5.0)
            return True  # not subscribed: no wake-up to trust, the stream is read
        self._resubscribe_s = RESUBSCRIBE_S
        return await self._wakeups.wait(worker, lambda: self.newest(worker), after, timeout_s)

    async def _subscribe(self, worker: str) -> None:
        if worker in self._subscribed:
            return
        async with self._subscribing:
            await self._redis.initialize()
            channel = self._channel_of(worker)
            node = self._redis.get_node_from_key(channel)
            pubsub = self._pubsubs.get(node.name)
            if pubsub is None:  # one connection a node, its own listener (not redis-py's ClusterPubSub, whose node
                # connections the server closed again and again under 1,000 desks' wake-ups: every wake-up lost)
                client = aioredis.Redis(
                    host=node.host, port=node.port, decode_responses=True, protocol=2, socket_connect_timeout=5
                )
                pubsub = self._pubsubs[node.name] = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.ssubscribe(channel)
                self._listeners[node.name] = asyncio.create_task(self._listen_on(node.name, pubsub))
            else:
                await pubsub.ssubscribe(channel)
            self._subscribed.add(worker)

    async def _listen_on(self, name: str, pubsub: PubSub) -> None:
        """One node's shard subscriptions; on its failure (a failover), every subscription is made again."""
        try:
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=LISTEN_S)
                if message is not None and message.get("type") == "smessage":
                    channel = str(message["channel"])
                    self._wake([channel[channel.index("{") + 1 : channel.rindex("}")]])
        except (RedisError, RedisClusterException, OSError) as error:
            log.warning("relay store: a shard subscription failed (%s); subscribing again", error)
            await self._drop()

    async def _drop(self) -> None:
        async with self._subscribing:
            pubsubs, self._pubsubs, self._subscribed = self._pubsubs, {}, set()
            listeners, self._listeners = self._listeners, {}
            current = asyncio.current_task()
            for task in listeners.values():
                if task is not current:
                    task.cancel()
            for pubsub in pubsubs.values():
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves PubSub.aclose unannotated
        self._wake()

    async def stats(self) -> dict[str, int]:
        """Summed over the primaries (no key counts workers on a cluster: that would be one key every callback
        writes)."""
        memory = await self._redis.info("memory", target_nodes=RedisCluster.PRIMARIES)
        persistence = await self._redis.info("persistence", target_nodes=RedisCluster.PRIMARIES)
        clients = await self._redis.info("clients", target_nodes=RedisCluster.PRIMARIES)

        def each(found: dict[str, dict[str, Any]], name: str, default: Any) -> list[Any]:
            return [info.get(name, default) for info in found.values()]

        return {
            "redis_primaries": len(memory),
            "redis_used_memory_bytes": sum(each(memory, "used_memory", 0)),
            "redis_aof_enabled": int(all(each(persistence, "aof_enabled", 0))),
            "redis_last_write_ok": int(
                all(status == "ok" for status in each(persistence, "aof_last_write_status", "ok"))
                and all(status == "ok" for status in each(persistence, "rdb_last_bgsave_status", "ok"))
            ),
            "redis_connected_clients": sum(each(clients, "connected_clients", 0)),
        }

    async def aclose(self) -> None:
        for task in self._listeners.values():
            task.cancel()
        for task in self._listeners.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for pubsub in self._pubsubs.values():
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves PubSub.aclose unannotated
        await self._redis.aclose()
