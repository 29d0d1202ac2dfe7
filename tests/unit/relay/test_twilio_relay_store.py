"""The relay's store (agent_desktop_relay/store_sqlite.py) and routing (agent_desktop_relay/routing.py): a reader is woken for
an event kept while it was busy; a task goes with the reservation that was accepted, not the newest callback that
names a worker; Conversations webhooks follow the newest task naming their conversation; what is kept, the map
included, survives a restart; ids only grow, whatever the clock does; a replay is dropped."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_relay.store_sqlite import SqliteStore
from tests.support.narrowing import present

WORKER, OTHER, THIRD = "WK" + "1" * 32, "WK" + "2" * 32, "WK" + "a" * 32
TASK, CONVERSATION = "WT" + "5" * 32, "CH" + "3" * 32
_keys = itertools.count()


def store(path: str | Path = ":memory:", clock: Callable[[], float] = time.time) -> SqliteStore:
    return SqliteStore(path, clock=clock, synchronous="NORMAL")


async def add(s: SqliteStore, params: dict[str, str], key: str | None = None) -> list[str]:
    """The workers the callback was kept for."""
    kept = await s.record(key or f"k{next(_keys)}", params, int(time.time() * 1000))
    assert kept is not None
    return [k.worker for k in kept]


def reservation(status: str, worker: str, task: str = TASK, conversation: str | None = CONVERSATION) -> dict[str, str]:
    attributes = json.dumps({"conversationSid": conversation, "channelType": "chat"} if conversation else {})
    return {"EventType": f"reservation.{status}", "WorkerSid": worker, "TaskSid": task, "TaskAttributes": attributes}


MESSAGE = {"EventType": "onMessageAdded", "ConversationSid": CONVERSATION, "MessageSid": "IM" + "4" * 32}


async def test_an_event_kept_before_the_reader_waits_ends_its_wait_at_once() -> None:
    s = store()
    await add(s, {"WorkerSid": WORKER, "EventType": "reservation.created"})
    sent = (await s.after(WORKER, None))[-1].id  # the reader sent this one; meanwhile another arrives:
    await add(s, {"WorkerSid": WORKER, "EventType": "reservation.accepted"})
    started = time.monotonic()
    await s.wait(WORKER, sent, timeout_s=5.0)
    assert time.monotonic() - started < 1.0
    assert [k.event_type for k in await s.after(WORKER, sent)] == ["reservation.accepted"]


async def test_a_reader_with_nothing_new_waits_until_an_event_or_the_heartbeat() -> None:
    s = store()
    await add(s, {"WorkerSid": WORKER, "EventType": "worker.activity.update"})
    newest = await s.newest(WORKER)
    waiting = asyncio.create_task(s.wait(WORKER, newest, timeout_s=5.0))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await add(s, {"WorkerSid": WORKER, "EventType": "reservation.created"})
    await asyncio.wait_for(waiting, 1.0)
    started = time.monotonic()
    await s.wait(WORKER, await s.newest(WORKER), timeout_s=0.2)  # nothing new: the heartbeat
    assert 0.15 < time.monotonic() - started < 1.0


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["keep", "wait"]), st.sampled_from([WORKER, OTHER]), st.integers(0, 4)), max_size=30
    )
)
def test_a_wait_says_nothing_came_only_when_nothing_newer_is_kept(steps: list[tuple[str, str, int]]) -> None:
    """Desks of a worker at different places in its stream (one caught up, one some events behind), each waiting
    in turn between callbacks: a wait that ends saying nothing came (its heartbeat reads nothing) never hides an event
    the desk has not read, although the first wait's look at the newest event stands for the waits after it."""

    async def run() -> None:
        s = store()
        ids: dict[str, list[int]] = {WORKER: [], OTHER: []}
        for step, worker, behind in steps:
            if step == "keep":
                kept = await s.record(
                    f"k{next(_keys)}", {"WorkerSid": worker, "EventType": "worker.activity.update"}, 0
                )
                ids[worker] += [k.id for k in kept or ()]
                continue
            known = ids[worker]
            after = known[-1 - behind] if behind < len(known) else None
            woken = await s.wait(worker, after, timeout_s=0)
            unread = await s.after(worker, after, 1)
            assert woken or not unread, f"a desk after {after} told nothing came, {unread[0].id} unread"

    asyncio.run(run())


async def test_a_task_offered_to_two_workers_stays_with_the_one_who_accepted() -> None:
    """MaxReservedWorkers above 1: one task, two reservations. The loser's `reservation.rescinded` comes after
    the winner's `reservation.accepted`; the chat's messages and the task's callbacks stay with the winner."""
    s = store()
    assert await add(s, reservation("created", WORKER)) == [WORKER]
    assert await add(s, reservation("created", OTHER)) == [OTHER]
    assert sorted(await add(s, MESSAGE)) == [WORKER, OTHER], "while pending: each worker it is offered to"
    assert await add(s, reservation("accepted", WORKER)) == [WORKER]
    assert await add(s, reservation("rescinded", OTHER)) == [OTHER], "the loser hears its offer closed"
    assert await add(s, MESSAGE) == [WORKER]
    assert await add(s, {"EventType": "task.wrapup", "TaskSid": TASK}) == [WORKER]


@settings(max_examples=60, deadline=None)
@given(
    st.permutations([OTHER, THIRD]),
    st.lists(st.sampled_from(["rejected", "timeout", "rescinded", "canceled"]), min_size=2, max_size=2),
)
def test_no_closed_reservation_moves_a_task_its_worker_accepted(losers: list[str], endings: list[str]) -> None:
    async def run() -> None:
        s = store()
        for worker in (WORKER, *losers):
            await add(s, reservation("created", worker))
        await add(s, reservation("accepted", WORKER))
        for worker, ending in zip(losers, endings, strict=True):
            await add(s, reservation(ending, worker))
            assert await add(s, MESSAGE) == [WORKER]
            assert await add(s, {"EventType": "task.updated", "TaskSid": TASK}) == [WORKER]

    asyncio.run(run())


async def test_a_task_whose_offers_all_closed_goes_to_nobody_until_the_next_offer() -> None:
    s = store()
    await add(s, reservation("created", WORKER))
    await add(s, reservation("rejected", WORKER))
    assert await add(s, MESSAGE) == []
    assert await add(s, {"EventType": "task.canceled", "TaskSid": TASK}) == []
    await add(s, reservation("created", OTHER))
    assert await add(s, MESSAGE) == [OTHER]


async def test_a_conversation_follows_the_newest_task_that_names_it() -> None:
    """A transfer is a new task for the same conversation (Flex Interactions Invite): its messages go to whoever
    holds the new task; until anyone does, to the one still holding the old task; the old task's late callbacks
    do not take it back."""
    s = store()
    new_task = "WT" + "6" * 32
    await add(s, reservation("created", WORKER))
    await add(s, reservation("accepted", WORKER))
    attributes = json.dumps({"conversationSid": CONVERSATION})
    assert await add(s, {"EventType": "task.created", "TaskSid": new_task, "TaskAttributes": attributes}) == []
    assert await add(s, MESSAGE) == [WORKER], "nobody holds the new task yet: the old one's worker still does"
    await add(s, reservation("created", OTHER, task=new_task))
    assert await add(s, MESSAGE) == [OTHER]
    assert await add(s, reservation("completed", WORKER)) == [WORKER]  # the old task's own, later
    assert await add(s, {"EventType": "task.completed", "TaskSid": TASK, "TaskAttributes": attributes}) == [WORKER]
    assert await add(s, MESSAGE) == [OTHER]
    closed = {"EventType": "onConversationStateUpdated", "ConversationSid": CONVERSATION, "StateTo": "closed"}
    assert await add(s, closed) == [OTHER]
    assert await add(s, {"EventType": "onMessageAdded", "ConversationSid": "CH" + "9" * 32}) == [], (
        "another's conversation"
    )


async def test_the_map_and_the_events_survive_a_restart_and_ids_keep_growing_with_the_clock_behind(
    tmp_path: Path,
) -> None:
    path = tmp_path / "relay.sqlite3"
    first = store(path)
    await add(first, reservation("created", WORKER))
    await add(first, reservation("accepted", WORKER))
    before = await first.newest(WORKER)
    await first.aclose()
    again = store(path, clock=lambda: time.time() - 3600)  # restarted with its clock an hour behind
    assert await add(again, MESSAGE) == [WORKER], "the chat's message is not dropped after a restart"
    after = await again.after(WORKER, before)
    assert [k.event_type for k in after] == ["onMessageAdded"]
    assert after[0].id > present(before)


async def test_the_same_request_again_is_dropped_within_the_window() -> None:
    s = store()
    params = {"EventType": "worker.activity.update", "WorkerSid": WORKER}
    assert await s.record("same", params, 1_000) is not None
    assert await s.record("same", params, 2_000) is None
    assert len(await s.after(WORKER, None)) == 1


async def test_the_relays_file_and_its_wal_and_shm_are_readable_by_this_user_alone(tmp_path: Path) -> None:
    """What the file holds (masked lines, who holds which call) is nobody else's: 0600 whatever the umask, in a
    folder the relay made 0700; a file an older relay left readable is tightened when opened."""
    path = tmp_path / "state" / "relay.sqlite3"
    old = os.umask(0o022)  # the usual umask: files 0644, folders 0755
    try:
        s = store(path)
        await add(s, {"WorkerSid": WORKER, "EventType": "reservation.created"})
    finally:
        os.umask(old)
    files = [path, path.with_name("relay.sqlite3-wal"), path.with_name("relay.sqlite3-shm")]
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    await s.aclose()

    for f in files:
        if f.exists():
            f.chmod(0o644)
    s = store(path)
    assert [k.event_type for k in s.kept(WORKER)] == ["reservation.created"]
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files if f.exists()} == {
        f.name: 0o600 for f in files if f.exists()
    }
    await s.aclose()
