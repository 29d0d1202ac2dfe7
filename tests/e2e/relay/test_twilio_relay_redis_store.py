"""The store several relays share (agent_desktop_relay/store_redis.py) on a real redis-server: it routes every callback as
the embedded SQLite store does (one set of rules, agent_desktop_relay/routing.py); two relays taking callbacks of one task
at once lose neither's change; an event kept through one relay wakes a reader blocked on another at once; a
request taken by one is a replay at the other; ids grow past a clock put back and past a millisecond's worth; a
relay whose Redis is gone answers 503, to Twilio, its balancer and its desks. Each on one Redis primary and on a
three-primary Redis Cluster with replicas (agent_desktop_relay/store_redis_cluster.py; the cluster's tests are
`exclusive`: six servers)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from agent_desktop_relay.__main__ import main as relay_main
from agent_desktop_relay.app import create_app
from agent_desktop_relay.credentials import reader_token
from agent_desktop_relay.settings import RelaySettings
from agent_desktop_relay.store import LINE_WINDOW_S, LINES_KEPT_S
from agent_desktop_relay.store_redis import POOL, SEQ, RedisStore, event_id
from agent_desktop_relay.store_redis_cluster import ClusterStore, is_cluster_url
from agent_desktop_relay.store_sqlite import SqliteStore
from tests.support.hypothesis_profiles import examples
from tests.support.pci_cards import gives_away, split_card
from tests.support.redis_cluster import RedisCluster, running_redis_cluster
from tests.support.redis_server import RedisServer, running_redis
from tests.unit.relay.test_twilio_relay_lines import content, kept_lines

WORKERS = ["WK" + c * 32 for c in "123"]
WORKER, OTHER = WORKERS[0], WORKERS[1]
TASKS = ["WT" + c * 32 for c in "56"]
CONVERSATIONS = ["CH" + c * 32 for c in "34"]
CALLS = ["CA" + c * 32 for c in "78"]
_prefixes, _keys = itertools.count(), itertools.count()


@pytest.fixture(scope="module", params=["primary", pytest.param("cluster", marks=pytest.mark.exclusive)])
def redis_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RedisServer | RedisCluster]:
    """One Redis primary, or a Redis Cluster of three primaries each with a replica."""
    folder = Path(tmp_path_factory.mktemp("redis"))
    server: RedisServer | RedisCluster
    if request.param == "cluster":
        with running_redis_cluster(folder) as server:
            yield server
    else:
        with running_redis(folder) as server:
            yield server


def relays(server: RedisServer | RedisCluster, count: int = 2, **options: object) -> list[RedisStore]:
    """`count` relays' stores on one Redis (or one cluster), under a prefix of their own (each test its own map)."""
    prefix = f"t{next(_prefixes)}:"
    kind = ClusterStore if is_cluster_url(server.url) else RedisStore
    return [kind(server.url, prefix=prefix, **options) for _ in range(count)]  # type: ignore[arg-type]


def newest_key(store: RedisStore, worker: str) -> str:
    """Where the newest id handed out is kept: one key on a primary, one per worker on a cluster."""
    return f"{store._prefix}newest:{{{worker}}}" if isinstance(store, ClusterStore) else f"{store._prefix}newest"


@pytest.fixture
async def pair(redis_server: RedisServer | RedisCluster) -> AsyncIterator[list[RedisStore]]:
    stores = relays(redis_server)
    yield stores
    for store in stores:
        await store.aclose()


async def add(store: RedisStore | SqliteStore, params: dict[str, str], received_ms: int | None = None) -> list[str]:
    kept = await store.record(f"k{next(_keys)}", params, received_ms or int(time.time() * 1000))
    assert kept is not None
    return [k.worker for k in kept]


def reservation(
    status: str, worker: str, task: str = TASKS[0], conversation: str = CONVERSATIONS[0], call: str | None = None
) -> dict[str, str]:
    attributes = {"conversationSid": conversation} | ({"call_sid": call} if call else {})
    return {
        "EventType": f"reservation.{status}",
        "WorkerSid": worker,
        "TaskSid": task,
        "TaskAttributes": json.dumps(attributes),
    }


def message(conversation: str = CONVERSATIONS[0]) -> dict[str, str]:
    return {"EventType": "onMessageAdded", "ConversationSid": conversation, "MessageSid": f"IM{next(_keys):032x}"}


def line(call: str = CALLS[0]) -> dict[str, str]:
    """A call's transcription line as the relay's app keeps it (agent_desktop_relay/transcription.py): by its call."""
    sequence = str(next(_keys))
    return {"EventType": "transcription", "CallSid": call, "SequenceId": sequence, "Role": "customer", "Text": "hi"}


callbacks = st.one_of(
    st.builds(
        reservation,
        st.sampled_from(["created", "accepted", "rejected", "rescinded", "timeout", "canceled", "completed", "wrapup"]),
        st.sampled_from(WORKERS),
        st.sampled_from(TASKS),
        st.sampled_from(CONVERSATIONS),
        st.sampled_from([None, *CALLS]),
    ),
    st.builds(line, st.sampled_from(CALLS)),
    st.builds(
        lambda task, event: {"EventType": event, "TaskSid": task},
        st.sampled_from(TASKS),
        st.sampled_from(["task.updated", "task.wrapup", "task.canceled"]),
    ),
    st.builds(message, st.sampled_from(CONVERSATIONS)),
    st.builds(lambda worker: {"EventType": "worker.activity.update", "WorkerSid": worker}, st.sampled_from(WORKERS)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(callbacks, min_size=1, max_size=25))
def test_every_callback_goes_where_the_embedded_store_sends_it(
    redis_server: RedisServer | RedisCluster, sequence: list[dict[str, str]]
) -> None:
    """The same sequence of callbacks, taken in turn by two relays on Redis and by one relay on SQLite: each goes to
    the same workers (a transcription line: its call's stream), in the same order on each stream."""

    async def run() -> None:
        shared, alone = relays(redis_server), SqliteStore(":memory:", clock=time.time, synchronous="NORMAL")
        try:
            for n, params in enumerate(sequence):
                received_ms = 1_700_000_000_000 + n
                assert sorted(await add(shared[n % 2], params, received_ms)) == sorted(
                    await add(alone, params, received_ms)
                ), params
            for stream in (*WORKERS, *CALLS):
                assert [k.data for k in await shared[0].after(stream, None)] == [
                    k.data for k in await alone.after(stream, None)
                ]
        finally:
            stores: tuple[RedisStore | SqliteStore, ...] = (*shared, alone)
            for store in stores:
                await store.aclose()

    asyncio.run(run())


async def test_a_task_offered_to_two_workers_through_two_relays_stays_with_the_one_who_accepted(
    pair: list[RedisStore],
) -> None:
    one, two = pair
    assert await add(one, reservation("created", WORKER)) == [WORKER]
    assert await add(two, reservation("created", OTHER)) == [OTHER]
    assert sorted(await add(one, message())) == [WORKER, OTHER]
    assert await add(two, reservation("accepted", WORKER)) == [WORKER]
    assert await add(one, reservation("rescinded", OTHER)) == [OTHER]
    assert await add(two, message()) == [WORKER]
    assert await add(one, {"EventType": "task.wrapup", "TaskSid": TASKS[0]}) == [WORKER]


async def test_a_calls_line_goes_on_the_calls_stream_with_its_tasks_sid_never_on_a_workers(
    pair: list[RedisStore],
) -> None:
    """Through either relay, a line is kept on its call's stream (keyed by the call: its slot on a cluster) with the
    SID of the call's newest task someone holds or is offered; the workers' streams carry the reservations only; the
    call's readers are the workers of its tasks."""
    one, two = pair
    assert await add(one, reservation("accepted", WORKER, TASKS[0], call=CALLS[0])) == [WORKER]
    assert await add(two, line(CALLS[0])) == [CALLS[0]]
    assert await add(one, reservation("created", OTHER, TASKS[1], call=CALLS[0])) == [OTHER]  # transferred: offered
    assert await add(two, line(CALLS[0])) == [CALLS[0]]
    assert await add(one, line(CALLS[1])) == [CALLS[1]], "a call no task named: kept on its stream, nobody reads it"
    kept = [json.loads(k.data) for k in await one.after(CALLS[0], None)]
    assert [entry["TaskSid"] for entry in kept] == [TASKS[0], TASKS[1]]
    for worker in (WORKER, OTHER):
        assert "transcription" not in {k.event_type for k in await two.after(worker, None)}
    assert await two.readers(CALLS[0]) == {WORKER, OTHER}
    assert await two.readers(CALLS[1]) == set()


async def test_a_line_twilio_sends_again_is_kept_once_and_remembered_briefly(pair: list[RedisStore]) -> None:
    """The same request taken again through the other relay is a replay; its mark and the call's stream expire
    within minutes and an hour, not with the six-hour replay window."""
    one, two = pair
    said = line(CALLS[0])
    assert await one.record("again", said, 1_000) is not None
    assert await two.record("again", said, 2_000) is None
    assert len(await two.after(CALLS[0], None)) == 1
    stream = one._stream(CALLS[0])
    assert 0 < await one._redis.ttl(stream) <= LINES_KEPT_S
    assert 0 < await one._redis.ttl(f"{one._prefix}taken:again") <= LINE_WINDOW_S


async def test_offers_taken_by_two_relays_at_once_are_all_kept_in_the_map(pair: list[RedisStore]) -> None:
    """Forty `reservation.created` of one task, half through each relay, all at once: a message then goes to every
    worker offered it (a read-then-write without the script's check would lose some of them)."""
    workers = [f"WK{n:032x}" for n in range(40)]
    await asyncio.gather(*(add(pair[n % 2], reservation("created", worker)) for n, worker in enumerate(workers)))
    assert sorted(await add(pair[0], message())) == sorted(workers)


async def test_an_event_kept_by_one_relay_wakes_a_reader_blocked_on_the_other_at_once(pair: list[RedisStore]) -> None:
    one, two = pair
    await add(one, {"EventType": "worker.activity.update", "WorkerSid": WORKER})
    newest = await two.newest(WORKER)
    waiting = asyncio.create_task(two.wait(WORKER, newest, timeout_s=5.0))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    started = time.monotonic()
    await add(one, reservation("created", WORKER))
    await asyncio.wait_for(waiting, 2.0)
    assert time.monotonic() - started < 0.5
    assert [k.event_type for k in await two.after(WORKER, newest)] == ["reservation.created"]
    started = time.monotonic()
    await two.wait(WORKER, await two.newest(WORKER), timeout_s=0.2)  # nothing new: the heartbeat
    assert 0.15 < time.monotonic() - started < 1.5


async def test_a_request_taken_by_one_relay_is_a_replay_at_the_other(pair: list[RedisStore]) -> None:
    params = {"EventType": "worker.activity.update", "WorkerSid": WORKER}
    assert await pair[0].record("same", params, 1_000) is not None
    assert await pair[1].record("same", params, 2_000) is None
    assert len(await pair[1].after(WORKER, None)) == 1


async def test_ids_grow_past_a_clock_put_back_and_past_a_millisecond_full(pair: list[RedisStore]) -> None:
    """The newest id handed out is ahead of Redis's clock (the clock was an hour ahead, then corrected; or ids
    were handed out that fast): the next ids are still above it, and a desk resuming from it gets them."""
    one, two = pair
    ahead = int(time.time() * 1000) + 3_600_000
    await one._redis.set(newest_key(one, WORKER), f"{ahead}-{SEQ - 2}")
    resumed_from = event_id(f"{ahead}-{SEQ - 2}")
    for _ in range(3):
        await add(two, {"EventType": "worker.activity.update", "WorkerSid": WORKER})
    ids = [k.id for k in await one.after(WORKER, resumed_from)]
    assert ids == [event_id(f"{ahead}-{SEQ - 1}"), event_id(f"{ahead + 1}-0"), event_id(f"{ahead + 1}-1")]
    assert len(str(ids[-1])) <= 18, "a Last-Event-ID the relay accepts (agent_desktop_relay/app.py, EVENT_ID)"


async def test_a_worker_stream_keeps_about_keep_events(redis_server: RedisServer | RedisCluster) -> None:
    (store,) = relays(redis_server, 1, keep=20)
    for _ in range(300):
        await add(store, {"EventType": "worker.activity.update", "WorkerSid": WORKER})
    kept = await store.after(WORKER, None)
    assert 20 <= len(kept) <= 20 + 100, "MAXLEN ~ trims whole nodes of the stream (100 entries each)"
    assert (await store.stats()).get("workers", 1) == 1, "a cluster counts no workers (no key every callback writes)"
    await store.aclose()


async def test_three_hundred_waiting_desks_are_woken_through_a_few_redis_connections(pair: list[RedisStore]) -> None:
    """A waiting desk's stream holds no Redis connection of its own (one subscription per relay wakes them): 300
        wait at once on one relay, each is woken by its event kept through the other, and Redis sees no more clients
    than the two relays' pools hold."""
    one, two = pair
    workers = [f"WK{n:032x}" for n in range(300)]
    waiting = [asyncio.create_task(two.wait(worker, None, timeout_s=5.0)) for worker in workers]
    await asyncio.sleep(0.2)
    assert not any(task.done() for task in waiting)
    started = time.monotonic()
    for worker in workers:
        await add(one, {"EventType": "worker.activity.update", "WorkerSid": worker})
    await asyncio.wait_for(asyncio.gather(*waiting), 4.0)
    assert time.monotonic() - started < 4.0
    stats = await one.stats()
    assert stats["redis_connected_clients"] <= 2 * (POOL + 1) * stats.get("redis_primaries", 1), (
        "bounded by the relays' pools (one per primary on a cluster), not the desks"
    )


async def test_a_relay_whose_redis_is_gone_says_so_to_twilio_its_balancer_and_its_desks(tmp_path: Path) -> None:
    """Nothing is answered 204 that was not kept, no stream opens on a store that is not there, and the health
    endpoint fails, so the balancer sends elsewhere: each a 503 in words, not a traceback."""
    with running_redis(tmp_path / "redis") as server:
        settings = RelaySettings(
            auth_token="token", secret="s" * 32, redis_url=server.url, public_url="http://relay/twilio/events"
        )
        app = create_app(settings)  # (Twilio signs the Event Callback URL: the relay checks against it)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://relay") as client:
            assert (await client.get("/healthz")).status_code == 200
            server.process.kill()
            server.process.wait(10)
            url, params = "http://relay/twilio/events", {"EventType": "worker.activity.update", "WorkerSid": WORKER}
            signature = {"X-Twilio-Signature": RequestValidator("token").compute_signature(url, params)}
            answers = [
                await client.get("/healthz"),
                await client.post(url, data=params, headers=signature),
                await client.get(
                    f"/v1/Workers/{WORKER}/Events",
                    headers={"Last-Event-ID": "5", "Authorization": f"Bearer {reader_token('s' * 32, WORKER)}"},
                ),
            ]
            assert [a.status_code for a in answers] == [503, 503, 503]
            assert all("cannot reach its store" in a.json()["detail"] for a in answers)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(split_card(parts=2), st.booleans())
def test_a_card_number_read_out_over_two_lines_is_kept_as_the_embedded_store_keeps_it(
    redis_server: RedisServer | RedisCluster, card: tuple[str, list[str]], swapped: bool
) -> None:
    """Cut anywhere between two lines of a call's track, in digits or words, in order or not: two relays on Redis
    (each taking one line) keep the lines as the SQLite store does, and neither keeps the number."""
    digits, (first, second) = card
    callbacks = [content(3, first), content(4, second)]
    if swapped:
        callbacks.reverse()

    async def run() -> None:
        shared, alone = relays(redis_server), SqliteStore(":memory:", clock=time.time, synchronous="NORMAL")
        try:
            await kept_lines(shared[0], callbacks[:1])
            on_redis = await kept_lines(shared[1], callbacks[1:])  # both lines, read back through the other relay
            on_sqlite = await kept_lines(alone, callbacks)
            assert on_redis == on_sqlite
            assert not gives_away(digits, *[text for _, _, text in on_redis]), on_redis
        finally:
            stores: tuple[RedisStore | SqliteStore, ...] = (*shared, alone)
            for store in stores:
                await store.aclose()

    asyncio.run(run())


def test_a_relay_given_the_wrong_kind_of_url_for_its_redis_says_so_and_exits_2(
    redis_server: RedisServer | RedisCluster, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cluster's node given as one server (its scripts would fail on every callback), or one server as a
    cluster: one line saying which, exit 2, before any callback is taken."""
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token")
    monkeypatch.setenv("RELAY_SECRET", "s" * 32)
    if is_cluster_url(redis_server.url):
        wrong, said = redis_server.url.replace("redis+cluster://", "redis://"), "give it as redis+cluster://"
    else:
        wrong, said = redis_server.url.replace("redis://", "redis+cluster://"), "Cluster mode is not enabled"
    assert relay_main(["--redis-url", wrong, "--port", "1"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("twilio relay: Redis at ")
    assert said in line
