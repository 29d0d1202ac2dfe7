"""The CCaaS store checkpoints its WAL off the request path, and the WAL still stays bounded.

The store turns SQLite's automatic checkpoint off (it ran inside whichever request's commit crossed
1,000 WAL pages: the routing request's p99). Without the scheduler's checkpoint (schedule.py) the WAL file would
grow for the whole shift; this checks that one checkpoint lets the next writes reuse the file.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from pathlib import Path

import pytest

from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.tables import seed
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.storage import open_database


def _engine(folder: Path) -> Engine:
    db = open_database(folder, "ccaas", fresh=True)
    clock = Clock()
    engine = Engine(Store(db), EventLog(db, clock), clock, far_end=RandomFarEnd(random.Random(0)))
    engine.seed(seed.demo_queues(), [seed.demo_agent(clock.now())])
    return engine


def _burst(engine: Engine, n: int = 1500) -> None:
    queue_id = seed.demo_queues()[0].id
    for _ in range(n):
        engine.arrivals.create_contact(queue_id, Channel.VOICE, "+12125550100")


def test_no_request_checkpoints_and_a_checkpoint_lets_the_wal_be_reused(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    wal = tmp_path / "ccaas.db-wal"
    _burst(engine)
    first = wal.stat().st_size
    _burst(engine)
    grown = wal.stat().st_size
    assert grown > first * 1.5, (first, grown)  # no commit checkpointed on its own
    engine.checkpoint()
    _burst(engine)
    assert wal.stat().st_size == grown  # written again from its start, not appended to


async def test_the_server_closes_its_database_only_after_a_running_checkpoint_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkpoint still in its thread when the server stopped and closed the database crashed the test
    process (a segfault in SQLite, seen in a full run); the server now waits for it, then closes."""
    happened: list[str] = []
    started = threading.Event()
    checkpoint = Store.checkpoint

    def slow_checkpoint(store: Store) -> None:
        started.set()
        time.sleep(0.3)
        checkpoint(store)
        happened.append("checkpoint finished")

    monkeypatch.setattr(Store, "checkpoint", slow_checkpoint)
    app = create_app(MockSettings(data_dir=tmp_path, simulator=False, fresh=True, customers=10, experts=3))
    close = app.state.db.close

    def closing() -> None:
        happened.append("database closed")
        close()

    monkeypatch.setattr(app.state.db, "close", closing)
    async with app.router.lifespan_context(app):
        assert await asyncio.to_thread(started.wait, 10), "no checkpoint ran"
    assert happened == ["checkpoint finished", "database closed"]


def test_the_wal_starts_again_while_requests_keep_committing_during_the_checkpoints(tmp_path: Path) -> None:
    """The server checkpoints from a worker thread while requests commit. A single PASSIVE pass always left the
    frames written while it ran, so under steady writes the WAL never started again: it grew for the whole
    shift (236 to 600 MB in bench_routing's 3,000 requests) and every commit slowed once SQLite had to extend
    the file. The checkpoint now catches up with the writer and has the WAL start again."""
    engine = _engine(tmp_path)
    wal = tmp_path / "ccaas.db-wal"
    _burst(engine, 300)
    one_burst = wal.stat().st_size
    done = threading.Event()

    def checkpoints() -> None:
        while not done.wait(0.02):
            engine.checkpoint()

    worker = threading.Thread(target=checkpoints, name="checkpoint")
    worker.start()
    try:
        for _ in range(10):  # ten times what made `one_burst`, while the worker checkpoints
            _burst(engine, 300)
    finally:
        done.set()
        worker.join(timeout=30)
        engine.checkpoint(close=True)
    assert wal.stat().st_size < 4 * one_burst, (one_burst, wal.stat().st_size)
