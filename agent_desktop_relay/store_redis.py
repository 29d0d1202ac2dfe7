"""The relay's state in Redis, shared by several relays behind one URL (agent_desktop_relay/store.py): any relay takes
any callback and serves any desk (docs/backends.md, "Several relays").

Keys, under a prefix (`relay:`):
- `events:{WK…}`: the worker's stream (XADD … MAXLEN ~ keep), entries `type` and `data`. The script picks each
  entry's id `ms-seq` itself: above `newest` and above Redis's clock, so ids grow across every stream and survive
  a clock put back or a deleted stream. The SSE id a desk sends back as Last-Event-ID is `ms * 100000 + seq`.
- `events:{CA…}`: a transcribed call's stream of its lines (agent_desktop_relay/store.py, `call_of_line`): at most
  `LINES_KEEP` entries, gone `LINES_KEPT_S` after its last line, its requests in the replay window for
  `LINE_WINDOW_S` only. Its desk and its supervisors read it; the workers' streams carry no line.
- `newest`: the newest entry id handed out.
- `task:{WT…}`: a hash (`owner`, `offered` comma-joined), forgotten `route_ttl_s` after the last callback of it.
- `conversation:{CH…}` (and `conversation:{CA…}`, a call): the tasks that named it, a sorted set in the order they did.
- `said:{CA…}:{role}`: what was taken on a call's track (agent_desktop_relay/transcription.py, `Said`, as JSON), for
  masking a number read out over two lines; forgotten with the routes.
- `taken:{sha256}`: the replay window (SET NX with EX).
- `workers`: the workers with a stream (the health endpoint counts them).

A callback is kept by one Lua script, atomically: replay check, the map's changes, the XADDs. The routing rules
(agent_desktop_relay/routing.py) run here in Python on the part of the map they read, fetched just before; the script
first checks that part is unchanged (compare-and-set) and, if another relay changed it meanwhile, nothing is
written and the rules run again on a fresh read. So the rules are one code for both stores, and two relays
taking two callbacks of one task at once never lose one's change. The script also publishes the workers it
kept events for on `arrived`: each relay subscribes once and wakes its desks' streams, which read their worker's
stream from their last id. Needs one Redis primary (one script touches keys of several slots); a Redis Cluster takes
agent_desktop_relay/store_redis_cluster.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from agent_desktop_relay.routing import TaskRoute, call_readers, kept_as, route
from agent_desktop_relay.store import (
    LINE_WINDOW_S,
    LINES_KEEP,
    LINES_KEPT_S,
    RECEIVED_KEY,
    Kept,
    Wakeups,
    call_of_line,
)
from agent_desktop_relay.transcription import Said

SEQ = 100_000  # ids within one millisecond (the script moves to the next millisecond past it): id = ms * SEQ + seq
CONVERSATION_TASKS = 8  # the newest tasks of a conversation the rules look at (as the SQLite store's LIMIT 8)
ATTEMPTS = 50  # compare-and-set rounds before a callback is answered 500 (Twilio retries it)

log = logging.getLogger("twilio_relay")
LISTEN_S = 5.0  # the subscription is read in turns this long: its health check (a PING) runs between them
RESUBSCRIBE_S = 0.5  # the first wait before subscribing again (doubling to 5 s while Redis stays away)
POOL = 64  # Redis connections a relay uses at most (and one for its subscription)

# The routing map's compare-and-set, in Lua, shared by this store's KEEP and the cluster store's MAP: the values
# the rules read are checked unchanged (else {'retry'}), then their changes written (tasks, tracks' said lines, the
# conversations' newest tasks). KEYS and the plan (ARGV[1] as JSON) are the caller's.
ROUTE_CHECKS = """
for _, check in ipairs(plan.checks) do
  local key, now = KEYS[check[1]], nil
  if check[2] == 'task' then
    local v = redis.call('HMGET', key, 'owner', 'offered')
    now = (v[1] or '') .. '|' .. (v[2] or '')
  elseif check[2] == 'said' then
    now = redis.call('GET', key) or ''
  else
    now = table.concat(redis.call('ZREVRANGE', key, 0, plan.conversation_tasks - 1), ',')
  end
  if now ~= check[3] then return {'retry'} end
end
"""
ROUTE_CHANGES = """
for _, task in ipairs(plan.tasks) do
  redis.call('HSET', KEYS[task[1]], 'owner', task[2], 'offered', task[3])
  redis.call('EXPIRE', KEYS[task[1]], plan.ttl_s)
end
for _, said in ipairs(plan.said) do
  redis.call('SET', KEYS[said[1]], said[2], 'EX', plan.ttl_s)
end
for _, link in ipairs(plan.links) do
  local key = KEYS[link[1]]
  if redis.call('ZSCORE', key, link[2]) == false then
    local top = redis.call('ZREVRANGE', key, 0, 0, 'WITHSCORES')
    redis.call('ZADD', key, (tonumber(top[2]) or 0) + 1, link[2])
    redis.call('ZREMRANGEBYRANK', key, 0, -(2 * plan.conversation_tasks) - 1)
  end
  redis.call('EXPIRE', key, plan.ttl_s)
end
"""

KEEP = (
    """
local plan = cjson.decode(ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then return {'replay'} end
"""
    + ROUTE_CHECKS
    + """redis.call('SET', KEYS[1], '1', 'EX', plan.window_s)
"""
    + ROUTE_CHANGES
    + """local clock = redis.call('TIME')
local ms, seq = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000), 0
local newest = redis.call('GET', KEYS[2])
if newest then
  local last_ms, last_seq = string.match(newest, '^(%d+)-(%d+)$')
  last_ms, last_seq = tonumber(last_ms), tonumber(last_seq)
  if ms <= last_ms then ms, seq = last_ms, last_seq + 1 end
end
local ids = {'kept'}
for _, stream in ipairs(plan.streams) do
  if seq >= plan.seq then ms, seq = ms + 1, 0 end
  local id = string.format('%.0f-%d', ms, seq)
  redis.call('XADD', KEYS[stream[1]], 'MAXLEN', '~', plan.keep, id, 'type', plan.type, 'data', plan.data)
  if plan.expire_s > 0 then
    redis.call('EXPIRE', KEYS[stream[1]], plan.expire_s)
  else
    redis.call('SADD', KEYS[3], stream[2])
  end
  redis.call('SET', KEYS[2], id)
  ids[#ids + 1] = id
  seq = seq + 1
end
if #plan.streams > 0 then redis.call('PUBLISH', plan.channel, plan.workers) end
return ids
"""
)


# redis types a stream's entries as bytes | str | None whatever the pool decodes; this pool decodes to str.
StreamEntries = list[tuple[str, dict[str, str]]]


def event_id(stream_id: str) -> int:
    ms, seq = stream_id.split("-")
    return int(ms) * SEQ + int(seq)


def stream_id(event_id: int) -> str:
    return f"{event_id // SEQ}-{event_id % SEQ}"


def _encoded(found: TaskRoute | None) -> str:
    """A task's route as the script reads it back (an unknown task reads as nobody's)."""
    found = found or TaskRoute()
    return f"{found.owner or ''}|{','.join(sorted(found.offered))}"


def _decoded(owner: str | None, offered: str | None) -> TaskRoute | None:
    if owner is None and offered is None:
        return None
    return TaskRoute(owner or None, frozenset(w for w in (offered or "").split(",") if w))


class _Unread(Exception):
    """The rules asked for a part of the map not fetched yet."""

    def __init__(self, kind: str, sid: str) -> None:
        self.kind, self.sid = kind, sid


@dataclass
class _Table:
    """The routing rules' view of the map: what was fetched, what they read (to check) and what they change."""

    tasks: dict[str, TaskRoute | None] = field(default_factory=dict)
    conversations: dict[str, list[str]] = field(default_factory=dict)
    saids: dict[str, str] = field(default_factory=dict)  # `call:role` → a track's Said as kept ('': none)
    read_tasks: set[str] = field(default_factory=set)
    read_conversations: set[str] = field(default_factory=set)
    read_saids: set[str] = field(default_factory=set)
    changed: dict[str, TaskRoute] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)
    said_changed: dict[str, str] = field(default_factory=dict)

    def task(self, sid: str) -> TaskRoute | None:
        if sid in self.changed:
            return self.changed[sid]
        if sid not in self.tasks:
            raise _Unread("task", sid)
        self.read_tasks.add(sid)
        return self.tasks[sid]

    def put_task(self, sid: str, route: TaskRoute) -> None:
        self.changed[sid] = route

    def link_conversation(self, conversation: str, task: str) -> None:
        self.links.append((conversation, task))

    def conversation_tasks(self, conversation: str) -> list[str]:
        if conversation not in self.conversations:
            raise _Unread("conversation", conversation)
        self.read_conversations.add(conversation)
        return self.conversations[conversation]

    def said(self, call: str, role: str) -> Said | None:
        track = f"{call}:{role}"
        if track in self.said_changed:
            return Said.decoded(self.said_changed[track])
        if track not in self.saids:
            raise _Unread("said", track)
        self.read_saids.add(track)
        return Said.decoded(self.saids[track])

    def put_said(self, call: str, role: str, said: Said) -> None:
        self.said_changed[f"{call}:{role}"] = said.encoded()


class RedisStore:
    """`url`: redis://host:port/db; `keep`: entries kept per worker stream (approximately: MAXLEN ~ trims whole
    nodes); `replay_window_s`: how long a request's key is remembered; `route_ttl_s`: a task (and its
    conversation) not heard of for this long is forgotten."""

    def __init__(
        self,
        url: str,
        *,
        keep: int = 1000,
        replay_window_s: float = 6 * 3600,
        route_ttl_s: float = 7 * 86400,
        prefix: str = "relay:",
    ) -> None:
        # Commands queue for a connection (up to 10 s) rather than fail when 500 desks reconnect at once.
        pool = aioredis.BlockingConnectionPool.from_url(
            url,
            max_connections=POOL,
            timeout=10,
            decode_responses=True,
            socket_connect_timeout=5,
            socket_timeout=10,
            health_check_interval=10,
        )
        self._redis = aioredis.Redis(connection_pool=pool)
        self._keep, self._window_s, self._ttl_s, self._prefix = (
            keep,
            max(1, int(replay_window_s)),
            max(1, int(route_ttl_s)),
            prefix,
        )
        self._keep_script = self._redis.register_script(KEEP)
        self._channel = f"{prefix}arrived"
        self._wakeups = Wakeups()
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    def _stream(self, worker: str) -> str:
        return f"{self._prefix}events:{worker}"

    def _task_key(self, sid: str) -> str:
        return f"{self._prefix}task:{sid}"

    def _conversation_key(self, sid: str) -> str:
        return f"{self._prefix}conversation:{sid}"

    def _said_key(self, track: str) -> str:
        return f"{self._prefix}said:{track}"

    # --- writing ---------------------------------------------------------------------------------------------

    async def _fetch(
        self, table: _Table, tasks: list[str], conversations: list[str], saids: tuple[str, ...] = ()
    ) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for sid in tasks:
                pipe.hmget(self._task_key(sid), "owner", "offered")
            for sid in conversations:
                pipe.zrevrange(self._conversation_key(sid), 0, CONVERSATION_TASKS - 1)
            for track in saids:
                pipe.get(self._said_key(track))
            answers = await pipe.execute()
        for sid, (owner, offered) in zip(tasks, answers[: len(tasks)], strict=True):
            table.tasks[sid] = _decoded(owner, offered)
        after_tasks = answers[len(tasks) :]
        for sid, found in zip(conversations, after_tasks[: len(conversations)], strict=True):
            table.conversations[sid] = list(found)
        for track, found in zip(saids, after_tasks[len(conversations) :], strict=True):
            table.saids[track] = found or ""

    async def _routed(self, params: dict[str, str]) -> tuple[list[str], dict[str, str], _Table]:
        """The rules run on a snapshot of the map, fetched as they ask for it (a task callback: its task, one
        round trip; a Conversations webhook: its conversation, then that conversation's tasks; a transcription
        line: its track's lines too). The workers, the callback as kept, and the table (what was read, changed)."""
        tasks = [params["TaskSid"]] if params.get("TaskSid") else []
        fetched = _Table()
        await self._fetch(fetched, tasks, [])
        for _ in range(3 + CONVERSATION_TASKS):
            table = _Table(tasks=fetched.tasks, conversations=fetched.conversations, saids=fetched.saids)
            try:
                call = call_of_line(params)  # a line goes on its call's stream: no worker's route is read
                return [call] if call else route(params, table), kept_as(params, table), table
            except _Unread as unread:
                if unread.kind == "task":
                    await self._fetch(fetched, [unread.sid], [])
                elif unread.kind == "said":
                    await self._fetch(fetched, [], [], (unread.sid,))
                else:
                    await self._fetch(fetched, [], [unread.sid])
                    await self._fetch(
                        fetched, [t for t in fetched.conversations[unread.sid] if t not in fetched.tasks], []
                    )
        raise RuntimeError("the routing rules asked for more of the map than a callback can name")

    async def record(self, key: str, params: dict[str, str], received_ms: int) -> list[Kept] | None:
        event_type = params.get("EventType", "unknown")
        line = call_of_line(params) is not None
        for _ in range(ATTEMPTS):
            workers, kept, table = await self._routed(params)
            data = json.dumps({**kept, RECEIVED_KEY: str(received_ms)})
            keys = [f"{self._prefix}taken:{key}", f"{self._prefix}newest", f"{self._prefix}workers"]

            def index(name: str) -> int:
                keys.append(name)  # noqa: B023 - called only in this iteration, on its own `keys`
                return len(keys)  # noqa: B023 - Lua's KEYS count from 1

            checks = [
                [index(self._task_key(sid)), "task", _encoded(table.tasks[sid])] for sid in sorted(table.read_tasks)
            ]
            checks += [
                [index(self._conversation_key(sid)), "conversation", ",".join(table.conversations[sid])]
                for sid in sorted(table.read_conversations)
            ]
            checks += [[index(self._said_key(track)), "said", table.saids[track]] for track in sorted(table.read_saids)]
            plan = {
                "checks": checks,
                "tasks": [
                    [index(self._task_key(sid)), r.owner or "", ",".join(sorted(r.offered))]
                    for sid, r in table.changed.items()
                ],
                "links": [[index(self._conversation_key(c)), task] for c, task in table.links],
                "said": [[index(self._said_key(track)), said] for track, said in table.said_changed.items()],
                "streams": [[index(self._stream(worker)), worker] for worker in workers],
                "window_s": LINE_WINDOW_S if line else self._window_s,
                "ttl_s": self._ttl_s,
                "keep": LINES_KEEP if line else self._keep,
                "expire_s": LINES_KEPT_S if line else 0,
                "seq": SEQ,
                "conversation_tasks": CONVERSATION_TASKS,
                "type": event_type,
                "data": data,
                "channel": self._channel,
                "workers": ",".join(workers),
            }
            answer = await self._keep_script(keys=keys, args=[json.dumps(plan)])
            if answer[0] == "replay":
                return None
            if answer[0] == "kept":
                return [
                    Kept(event_id(sid), worker, event_type, data)
                    for worker, sid in zip(workers, answer[1:], strict=True)
                ]
        raise RuntimeError(f"the routing map kept changing under this callback ({ATTEMPTS} tries)")

    # --- reading ---------------------------------------------------------------------------------------------

    async def after(self, worker: str, last_id: int | None, limit: int = 500) -> list[Kept]:
        start = "-" if last_id is None else "(" + stream_id(last_id)
        entries = cast(StreamEntries, await self._redis.xrange(self._stream(worker), min=start, max="+", count=limit))
        return [
            Kept(event_id(sid), worker, fields.get("type", "unknown"), fields.get("data", "{}"))
            for sid, fields in entries
        ]

    async def newest(self, worker: str) -> int | None:
        entries = cast(StreamEntries, await self._redis.xrevrange(self._stream(worker), count=1))
        return event_id(entries[0][0]) if entries else None

    async def wait(self, worker: str, after: int | None, timeout_s: float) -> bool:
        """Woken by the relay's one subscription to `arrived` (the script publishes the workers it kept an event
        for), not by an XREAD BLOCK of its own: that held a Redis connection per waiting desk, and a desk that
        left took its connection with it (redis-py drops a connection whose command was cancelled), so 500 desks
        reconnecting to a relay waited on 500 new Redis connections (1.1-1.4 s against SQLite's 0.5 s). The
        stream stays the truth: a notification lost (the subscription re-made) costs a heartbeat's delay, never
        an event."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen())
        if not self._listening.is_set():  # (asyncio.wait_for makes a task: not one for every desk's heartbeat)
            try:
                await asyncio.wait_for(self._listening.wait(), timeout_s)
            except TimeoutError:
                return True  # not subscribed: no wake-up to trust, the stream is read
        return await self._wakeups.wait(worker, lambda: self.newest(worker), after, timeout_s)

    def _wake(self, workers: list[str] | None = None) -> None:
        self._wakeups.wake(workers)

    async def _listen(self) -> None:
        delay = RESUBSCRIBE_S
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self._listening.set()
                delay = RESUBSCRIBE_S
                self._wake()  # whatever was kept while (re)subscribing: each waiter looks again
                while True:
                    message = await pubsub.get_message(timeout=LISTEN_S)
                    if message is not None and message.get("type") == "message":
                        self._wake(str(message["data"]).split(","))
            except (RedisError, OSError) as error:
                log.warning("relay store: the Redis subscription failed (%s); subscribing again", error)
            finally:
                self._listening.clear()
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves PubSub.aclose unannotated
            self._wake()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def readers(self, call: str) -> set[str]:
        table = _Table()
        await self._fetch(table, [], [call])
        await self._fetch(table, table.conversations[call], [])
        return call_readers(call, table)

    async def stats(self) -> dict[str, int]:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.scard(f"{self._prefix}workers")
            pipe.get(f"{self._prefix}newest")
            pipe.info("memory")
            pipe.info("persistence")
            pipe.info("clients")
            workers, newest, memory, persistence, clients = await pipe.execute()
        return {
            "workers": workers,
            "newest_id": event_id(newest) if newest else 0,
            "redis_used_memory_bytes": memory.get("used_memory", 0),
            "redis_aof_enabled": persistence.get("aof_enabled", 0),
            "redis_last_write_ok": int(
                persistence.get("aof_last_write_status", "ok") == "ok"
                and persistence.get("rdb_last_bgsave_status", "ok") == "ok"
            ),
            "redis_connected_clients": clients.get("connected_clients", 0),
        }

    async def ping(self) -> bool:
        return bool(await self._redis.ping())

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose(close_connection_pool=True)
