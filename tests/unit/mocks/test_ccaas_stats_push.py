"""The supervisor stream's queue figures: a push carries only the queues whose figures changed since the last."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.figures.stats_push import queue_stats_event
from agent_desktop_mocks.ccaas.shell.engine import SUPERVISOR_TOPIC, Engine
from agent_desktop_mocks.ccaas.shell.sse_events import QueueStatsEvent
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.tables import seed
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def demo_floor() -> tuple[ManualClock, EventLog, Engine, list[dict[str, Any]]]:
    """The demo's queues and one agent on a manual clock; the list collects every `queue_stats` push."""
    clock = ManualClock(START)
    db = sqlite_utils.Database(memory=True)
    events = EventLog(db, clock)
    engine = Engine(Store(db), events, clock, monotonic=clock.monotonic, far_end=RandomFarEnd(random.Random(0)))
    engine.seed(seed.demo_queues(), [seed.demo_agent(START)])
    pushed: list[dict[str, Any]] = []
    events.add_listener(lambda topics, type_, data: pushed.append(data) if type_ == "queue_stats" else None)
    return clock, events, engine, pushed


async def test_a_contact_arriving_in_one_queue_pushes_that_queues_figures_only() -> None:
    clock, events, engine, pushed = demo_floor()
    stream = events.subscribe(SUPERVISOR_TOPIC, None)
    await anext(stream)  # a supervisor is watching
    try:

        def tick(seconds: float) -> list[tuple[list[str], list[str]]]:
            pushed.clear()
            clock.advance_to(clock.elapsed + seconds)
            engine.tick()
            return [([s["queue_id"] for s in p["today"]], [s["queue_id"] for s in p["last_30m"]]) for p in pushed]

        every = sorted(q.id for q in seed.demo_queues())
        (first,) = tick(1)  # (at 0 s no arrival rate can be worked out yet)
        assert sorted(first[0]) == sorted(first[1]) == every  # the first push says everything

        engine.arrivals.create_contact("sales", Channel.VOICE, "+14155550123")
        assert tick(2) == [(["sales"], ["sales"])]
        sales = next(s for s in pushed[0]["today"] if s["queue_id"] == "sales")
        assert (sales["waiting"], sales["arrived"], sales["longest_wait_s"]) == (1, 1, 2.0)

        assert tick(2) == []  # nothing happened: nothing is pushed (the wait grows on the desktop's clock)
        engine.arrivals.create_contact("billing", Channel.CHAT, "a@example.com")
        assert tick(2) == [(["billing", "sales"], ["billing", "sales"])]  # sales: its caller waited 2 s more
    finally:
        await stream.aclose()
    pushed.clear()
    engine.arrivals.create_contact("billing", Channel.CHAT, "b@example.com")
    tick(2)
    assert pushed == []  # nobody watching: nothing worked out
    stream = events.subscribe(SUPERVISOR_TOPIC, None)
    await anext(stream)
    try:
        (again,) = tick(2)
        assert sorted(again[0]) == every  # a new audience gets every queue first
    finally:
        await stream.aclose()


async def test_a_push_is_the_event_model_s_json() -> None:
    """The push builds its JSON from rows, not models: it must say what `QueueStatsEvent` would, value for value and
    type for type (an int where the model has a float would read the same to Python and differently on the wire)."""
    clock, events, engine, pushed = demo_floor()
    stream = events.subscribe(SUPERVISOR_TOPIC, None)
    await anext(stream)
    try:
        engine.arrivals.create_contact("sales", Channel.VOICE, "+14155550123")
        caller = engine.arrivals.create_contact("billing", Channel.VOICE, "+14155550124")
        clock.advance_to(clock.elapsed + 61)
        engine.callbacks.request_callback(caller.id, "+14155550124")  # a pending callback, its age a float
        clock.advance_to(clock.elapsed + 3)
        engine.tick()
    finally:
        await stream.aclose()
    (data,) = pushed
    assert data["today"]
    assert len(data["today"]) == len(data["last_30m"])
    assert json.dumps(data) == json.dumps(QueueStatsEvent.model_validate(data).model_dump(mode="json"))
    kept = {s.queue_id: s.model_dump(mode="json") for s in engine.queue_stats("today")}
    assert {s["queue_id"]: s for s in data["today"]} == {q: kept[q] for q in (s["queue_id"] for s in data["today"])}


def test_a_push_s_json_is_byte_for_byte_the_models() -> None:
    """The push's JSON text (orjson's) is what pydantic writes for `QueueStatsEvent`, the other events' encoder: the
    same escapes for a queue name in any script or with quotes, the same shortest form of a float."""
    clock, events, engine, pushed = demo_floor()
    (row,) = [s.model_dump(mode="json") for s in engine.queue_stats("today") if s.queue_id == "sales"]
    odd = dict(
        row,
        queue_name='Ventes "VIP" — 販売 \\ 🛎\u2028',
        longest_wait_s=0.1 + 0.2,
        service_level_pct=1e-7,
        arrival_rate_per_min=123456789.125,
        ewt_s=None,
        agents_by_state={"available": 2**40},
    )
    text = queue_stats_event(START, [row, odd], [odd, row])
    assert text == QueueStatsEvent.model_validate_json(text).model_dump_json()
