"""Persisted, resumable event streams served as Server-Sent Events.

Every event gets an increasing id and is appended to an SQLite table before it
is pushed, so a client reconnecting with Last-Event-ID gets exactly what it
missed. Ephemeral events (`persist=False`, e.g. periodic statistics) take an id
from the same sequence but are only pushed; the highest id handed out is kept
in `event_ids`, so ids keep increasing across a restart. A comment line is sent
every heartbeat so clients can tell a quiet link from a dead one.

An event is one row of `events` (its id, type and data, written once), and one row of `event_topics` a
topic it is published to (a topic's stream, and a resume from Last-Event-ID, read through it); every
topic sees the event under the same id. Fan-out: an event is formatted once and the same chunk is put on
the queue of every subscriber of its topics (no per-subscriber work but a put). A subscriber's queue is a
`_Stream`: a deque and one waiter, with a heartbeat timer armed once per quiet period rather than a timeout
around every wait (the timeout's timer set and cancelled, asyncio.Queue's waiter bookkeeping: a fifth of the
server's CPU in a publish to 200 streams, benchmarks/bench_routing.py).
`autocommit = False` lets an owner (the CCaaS engine) commit once per request: events are then
stored in the owner's transaction and pushed only by `flush()`, which the owner calls after its
commit; `discard()` after a rollback forgets them and hands their ids out again. A client can
never hold an event the log does not.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import defaultdict, deque
from collections.abc import AsyncGenerator, Callable, Iterable, Sequence
from typing import Any

import sqlite_utils
from starlette.responses import StreamingResponse

from agent_desktop_mocks.common.clock import Clock


class EventLog:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, heartbeat_s: float = 15.0) -> None:
        self._db = db
        self._conn = db.conn
        self._clock = clock
        self.heartbeat_s = heartbeat_s
        self.autocommit = True
        self._subscribers: dict[str, set[_Stream]] = defaultdict(set)
        self._listeners: list[Callable[[list[str], str, dict[str, Any]], None]] = []
        _take_up_one_row_per_topic(self._conn)
        self._conn.executescript(
            """
            create table if not exists events (id integer primary key, type text, data text, created_at text);
            create table if not exists event_topics (
                topic text, event_id integer, primary key (topic, event_id)
            ) without rowid;
            create table if not exists event_ids (name text primary key, last_id integer);
            """
        )
        self._conn.commit()
        stored = self._conn.execute("select max(id) from events").fetchone()[0] or 0
        handed = self._conn.execute("select last_id from event_ids where name = 'events'").fetchone()
        self._last_id = max(stored, handed[0] if handed else 0)
        self._unpushed: list[tuple[int, list[str], str, str]] = []  # (id, topics, type, payload) awaiting the commit
        self._committed_id = self._last_id

    @property
    def last_id(self) -> int:
        return self._last_id

    def has_subscribers(self, topic: str) -> bool:
        return bool(self._subscribers.get(topic))

    def add_listener(self, listener: Callable[[list[str], str, dict[str, Any]], None]) -> None:
        """Call `listener(topics, type, data)` after each publish, in the publisher's transaction (tests watch
        what is published this way). Not for following an owner's changes: a listener that fails there rolls
        the owner's change back (the CCaaS engine's own `listen` tells its listeners after the commit)."""
        self._listeners.append(listener)

    def publish(self, topics: Iterable[str], type_: str, data: dict[str, Any] | str, *, persist: bool = True) -> int:
        """Store the event once, under each of its topics, and push it to their live subscribers; returns its id
        (no topics: nothing is stored or pushed, and the last id handed out is returned). `data` as a str is the
        JSON already (a pydantic model's `model_dump_json()`: a quarter of dumping it to a dict, then `json.dumps`)."""
        topics = list(dict.fromkeys(topics))
        if not topics:
            return self._last_id
        return self.publish_all([(topics, type_, data)], persist=persist)

    def publish_all(
        self, events: Sequence[tuple[list[str], str, dict[str, Any] | str]], *, persist: bool = True
    ) -> int:
        """`publish` each (topics, type, data) in order, stored with one statement for their rows and one for their
        topics' rows, under one `created_at` (two statements for a burst cost less than one per row; bench_routing's
        offers publish in bursts); returns the last id. Listeners are told of each, in order, once all are stored.
        Each event's topics are distinct and not empty (the CCaaS publisher's are). Not `persist`ed: only the last id
        handed out is stored (ids keep increasing after a restart)."""
        conn = self._conn
        rows: list[tuple[int, str, str, str]] = []
        topic_rows: list[tuple[str, int]] = []
        unpushed = self._unpushed
        created_at = self._clock.now().isoformat() if persist else ""  # once: the events of one call are one moment
        for topics, type_, data in events:
            payload = data if isinstance(data, str) else json.dumps(data, default=str)
            self._last_id += 1
            event_id = self._last_id
            if persist:
                rows.append((event_id, type_, payload, created_at))
                topic_rows += [(topic, event_id) for topic in topics]
            unpushed.append((event_id, topics, type_, payload))
        if rows:
            conn.executemany("insert into events values (?, ?, ?, ?)", rows)
            conn.executemany("insert into event_topics values (?, ?)", topic_rows)
        elif events:
            conn.execute("insert or replace into event_ids values ('events', ?)", [self._last_id])
        if self._listeners:  # in the publisher's transaction, before its commit
            for topics, type_, data in events:
                parsed = json.loads(data) if isinstance(data, str) else data
                for listener in self._listeners:
                    listener(topics, type_, parsed)
        if self.autocommit:
            conn.commit()
            self.flush()
        return self._last_id

    def flush(self) -> None:
        """Push the events of a committed transaction to live subscribers."""
        unpushed, self._unpushed = self._unpushed, []
        self._committed_id = self._last_id
        for event_id, topics, type_, payload in unpushed:
            chunk = None
            for topic in topics:
                subscribers = self._subscribers.get(topic)
                if subscribers:
                    if chunk is None:
                        chunk = _format(event_id, type_, payload)
                    for stream in subscribers:
                        stream.put((event_id, chunk))

    def rewrite(self, type_: str, mentioning: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
        """Rewrite the stored events of `type_` whose data mentions `mentioning` (redaction of what was
        published already; a client resuming later reads the new text). Returns how many rows changed."""
        rows = self.mentioning(type_, mentioning)
        changed = 0
        for event_id, data in rows:
            new = change(json.loads(data))
            if new != json.loads(data):  # compared as values: a payload may be pydantic's compact JSON
                payload = json.dumps(new, default=str)
                self._conn.execute("update events set data = ? where id = ?", [payload, event_id])
                changed += 1
        return changed

    def mentioning(self, type_: str, mentioning: str) -> list[tuple[int, str]]:
        """The stored events of `type_` whose data mentions `mentioning`, oldest first: (id, data as stored)."""
        pattern = "%" + mentioning.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self._conn.execute(
            "select id, data from events where type = ? and data like ? escape '\\' order by id", [type_, pattern]
        ).fetchall()

    def discard(self) -> None:
        """The transaction was rolled back: its events never happened (their ids are handed out again)."""
        self._unpushed.clear()
        self._last_id = self._committed_id

    def stored(self, topic: str, type_: str | None, after: int) -> list[tuple[int, str]]:
        """The stored events of `type_` (None: of any type) on `topic` with ids after `after`, oldest first:
        (id, data as stored). What a listener that fell behind reads to catch up, and what a request published
        (uncommitted rows of this connection included)."""
        typed = "" if type_ is None else " and e.type = ?"
        return self._conn.execute(
            "select e.id, e.data from event_topics t join events e on e.id = t.event_id"
            f" where t.topic = ? and t.event_id > ?{typed} order by t.event_id",
            [topic, after, *([] if type_ is None else [type_])],
        ).fetchall()

    def _since(self, topic: str, last_event_id: int) -> list[tuple[int, str]]:
        rows = self._conn.execute(
            "select e.id, e.type, e.data from event_topics t join events e on e.id = t.event_id"
            " where t.topic = ? and t.event_id > ? order by t.event_id",
            [topic, last_event_id],
        ).fetchall()
        return [(row[0], _format(row[0], row[1], row[2])) for row in rows]

    async def subscribe(self, topic: str, last_event_id: int | None) -> AsyncGenerator[str, None]:
        """SSE-formatted chunks: missed events first (if resuming), then live ones, with a heartbeat after every
        `heartbeat_s` without a chunk."""
        stream = _Stream(asyncio.get_running_loop(), self.heartbeat_s)
        self._subscribers[topic].add(stream)
        try:
            yield ": connected\n\n"
            sent = last_event_id or 0
            if last_event_id is not None:
                for event_id, chunk in self._since(topic, last_event_id):
                    yield chunk
                    sent = event_id
            pending = stream.pending
            while True:
                stream.quiet_since()  # the wait for the next chunk (or heartbeat) starts now
                if not pending:
                    await stream.wait()
                if not pending:
                    yield ": heartbeat\n\n"
                    continue
                event_id, chunk = pending.popleft()
                if event_id > sent:
                    yield chunk
                    sent = event_id
        finally:
            stream.close()
            self._subscribers[topic].discard(stream)
            if not self._subscribers[topic]:
                del self._subscribers[topic]

    def response(self, topic: str, last_event_id: str | None) -> StreamingResponse:
        resume = int(last_event_id) if last_event_id and last_event_id.isdigit() and len(last_event_id) < 19 else None
        return StreamingResponse(
            self.subscribe(topic, resume),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


class _Stream:
    """One subscriber's queue: chunks waiting to be sent, and when the subscriber should be sent a heartbeat.

    `wait()` returns once a chunk is put, or once `heartbeat_s` passed since `quiet_since()` with none (then nothing
    is pending). The heartbeat's timer stays armed from one wait to the next: a chunk only moves the quiet period's
    start, and the timer, when it fires early, is armed again for the rest of the period (once per quiet period, not
    a timer set and cancelled around every chunk)."""

    __slots__ = ("_heartbeat_s", "_loop", "_quiet_from", "_timer", "_waiter", "pending")

    def __init__(self, loop: asyncio.AbstractEventLoop, heartbeat_s: float) -> None:
        self._loop = loop
        self._heartbeat_s = heartbeat_s
        self.pending: deque[tuple[int, str]] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._quiet_from = loop.time()
        self._timer: asyncio.TimerHandle | None = None

    def put(self, item: tuple[int, str]) -> None:
        self.pending.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def quiet_since(self) -> None:
        self._quiet_from = self._loop.time()

    async def wait(self) -> None:
        if self._timer is None:
            self._timer = self._loop.call_at(self._quiet_from + self._heartbeat_s, self._due)
        self._waiter = self._loop.create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def _due(self) -> None:
        self._timer = None
        due = self._quiet_from + self._heartbeat_s
        if self._loop.time() < due:
            self._timer = self._loop.call_at(due, self._due)  # a chunk was sent since it was armed
        elif self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _format(event_id: int, type_: str, data: str) -> str:
    return f"id: {event_id}\nevent: {type_}\ndata: {data}\n\n"


def _take_up_one_row_per_topic(conn: sqlite3.Connection) -> None:
    """A log written by an earlier version (a row a topic, each with its own id) becomes one row an event and
    topic under the same ids, so a client resuming from an id it was given then misses and repeats nothing."""
    columns = [row[1] for row in conn.execute("pragma table_info(events)")]
    if "topic" not in columns:
        return
    conn.executescript(
        """
        alter table events rename to events_one_row_per_topic;
        drop index if exists events_topic_id;
        create table events (id integer primary key, type text, data text, created_at text);
        create table event_topics (topic text, event_id integer, primary key (topic, event_id)) without rowid;
        insert into events select id, type, data, created_at from events_one_row_per_topic;
        insert into event_topics select topic, id from events_one_row_per_topic;
        drop table events_one_row_per_topic;
        """
    )
    conn.commit()
