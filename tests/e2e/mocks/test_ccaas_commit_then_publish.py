"""The CCaaS publishes an event only after the transaction that made it is committed.

Faults are injected at the SQLite connection (tests/support/faulty_sqlite.py), as a failing disk would:
- a commit fails, then the server is killed: no event a client saw may be missing from the log
  after the restart, and ids are not handed out twice (a client resuming from the last id it saw
  gets what follows);
- an insert fails half-way through a request: nothing of that request is stored, published or
  left in the engine's memory, and the next request works.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils

from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.tables import seed
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.event_log import EventLog
from tests.contract.mocks.test_ccaas_api import client, events, new_contact
from tests.support.faulty_sqlite import FaultyConnection

ROOT = Path(__file__).resolve().parents[3]
SERVER = """
import sys, time
from pathlib import Path
from tests.support import faulty_sqlite
faulty_sqlite.install(Path(sys.argv[1]))
from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.ccaas.settings import MockSettings
settings = MockSettings(data_dir=Path(sys.argv[2]), seed=7, customers=60, simulator=False, fresh=sys.argv[3] == "fresh")
running = serve_in_thread([create_app(settings)])
print(running.urls[0], flush=True)
while True:
    time.sleep(3600)
"""


def start_server(trigger: Path, data: Path, fresh: bool) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(trigger), str(data), "fresh" if fresh else "again"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://"), "the server did not start"
    return process, url


def stored_events(supervisor: httpx.Client) -> dict[int, tuple[str, dict[str, Any]]]:
    """Every event the log holds, by id (queue_stats are live only, never stored)."""
    stored = {}
    with events(supervisor, "/v1/supervisor/events", last_event_id="0", read_s=1.5) as stream:
        try:
            for event in stream:
                if event.event != "queue_stats":
                    stored[int(event.id)] = (event.event, event.json())
        except httpx.ReadTimeout:
            pass
    return stored


def test_no_event_a_client_saw_is_missing_after_a_failed_commit_and_a_kill(tmp_path: Path) -> None:
    trigger, data = tmp_path / "fault", tmp_path / "data"
    process, url = start_server(trigger, data, fresh=True)
    seen: dict[int, tuple[str, dict[str, Any]]] = {}
    try:
        with client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
            listening = threading.Event()

            def listen() -> None:
                with client(url, DEMO_SUPERVISOR_TOKEN) as listener:
                    try:
                        with events(listener, "/v1/supervisor/events", last_event_id="0", read_s=30) as stream:
                            listening.set()
                            for event in stream:
                                if event.event != "queue_stats":
                                    seen[int(event.id)] = (event.event, event.json())
                    except (httpx.HTTPError, json.JSONDecodeError):
                        pass  # the server was killed

            threading.Thread(target=listen, daemon=True).start()
            assert listening.wait(5)
            first = new_contact(supervisor, from_address="+12125550101")
            trigger.write_text("commit")
            body = {"queue_id": "sales", "channel": "chat", "from_address": "x@example.com"}
            failed = supervisor.post("/v1/contacts", json=body)
            assert failed.status_code == 500
            # What the stream was going to deliver, it delivers now: a contact committed after the failure
            # comes after anything the failed request might have published, so once it is seen, so is that.
            trigger.unlink()
            with client(url, DEMO_SUPERVISOR_TOKEN) as again:  # a new connection: the failed one was dropped
                last = new_contact(again, from_address="+12125550102")
            deadline = time.monotonic() + 10
            while not any(data.get("contact", {}).get("id") == last["id"] for _, data in list(seen.values())):
                assert time.monotonic() < deadline, "the contact committed last never reached the stream"
                time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert any(data.get("contact", {}).get("id") == first["id"] for _, data in seen.values())

    process, url = start_server(trigger, data, fresh=False)
    try:
        with client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
            stored = stored_events(supervisor)
            missing = {event_id: seen[event_id] for event_id in seen if stored.get(event_id) != seen[event_id]}
            assert not missing, f"events a client saw that the log does not hold: {missing}"
            # the failed request left nothing: its contact does not exist
            assert [c["id"] for c in supervisor.get("/v1/queues/sales/waiting").json()] == []
            # a client resuming from the last id it saw gets the next event (no id is handed out twice)
            with events(supervisor, "/v1/supervisor/events", last_event_id=str(max(seen))) as stream:
                fresh = new_contact(supervisor, "tech_support", channel="email", from_address="ann@example.com")
                event = next(e for e in stream if e.event != "queue_stats")
            assert event.json()["contact"]["id"] == fresh["id"]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)


FaultyEngine = tuple[Engine, EventLog, Path, Path]  # the engine, its log, its database, the trigger file


@pytest.fixture
def faulty_engine(tmp_path: Path) -> Iterator[FaultyEngine]:
    path = tmp_path / "ccaas.db"
    FaultyConnection.trigger = trigger = tmp_path / "fault"
    db = sqlite_utils.Database(sqlite3.connect(path, factory=FaultyConnection))
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    event_log = EventLog(db, clock)
    engine = Engine(Store(db), event_log, clock, monotonic=clock.monotonic, far_end=RandomFarEnd(random.Random(0)))
    engine.seed(seed.demo_queues(), [seed.demo_agent(clock.now()), *seed.simulated_agents(1, clock.now())])
    yield engine, event_log, path, trigger
    FaultyConnection.trigger = None
    db.close()


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """What another process would read from the database (committed rows only)."""
    with sqlite3.connect(path) as reader:
        return reader.execute(sql).fetchall()


async def test_a_request_failing_half_way_stores_publishes_and_keeps_nothing(faulty_engine: FaultyEngine) -> None:
    engine, event_log, path, trigger = faulty_engine
    engine.agents.set_agent_state("agent-001", AgentState.AVAILABLE)
    pushed: list[str] = []

    async def listen() -> None:
        async for chunk in event_log.subscribe("supervisor", None):
            pushed.append(chunk)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    events_before = rows(path, "select count(*) from events")
    agent_before = engine.read.agent("agent-001").model_dump()

    trigger.write_text("insert:offers")  # the contact is stored, then storing its offer to agent-001 fails
    with pytest.raises(sqlite3.OperationalError):
        engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    await asyncio.sleep(0.1)
    assert pushed == [": connected\n\n"]  # nothing was pushed
    assert rows(path, "select id from contacts") == []  # nothing half-written
    assert rows(path, "select count(*) from events") == events_before
    assert engine.read.contacts() == []
    assert engine.read.pending_offers("agent-001") == []
    assert engine.read.agent("agent-001").model_dump() == agent_before

    trigger.unlink()
    contact = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100")
    assert [o.contact.id for o in engine.read.pending_offers("agent-001")] == [contact.id]
    await asyncio.sleep(0.1)
    contacts = [json.loads(c.split("data: ", 1)[1])["contact"]["id"] for c in pushed if "event: contact" in c]
    assert contacts == [contact.id, contact.id]  # queued, then offered
    listener.cancel()
