"""What a desk's stream costs its relay's store while the desk waits: its heartbeats read nothing (three reads each
before), and an event delivered is read once, then one look at the newest before waiting again. On a floor of
1,200 desks following their streams the heartbeats were most of a relay's store traffic (docs/backends.md, "A whole
floor on this machine"); the desk still gets its heartbeats, and its events at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_relay.app import create_app
from agent_desktop_relay.credentials import reader_token
from agent_desktop_relay.settings import RelaySettings
from agent_desktop_relay.store import Kept
from agent_desktop_relay.store_sqlite import SqliteStore

AUTH_TOKEN, SECRET = "the-account-auth-token", "relay-secret-for-tests-0123456789abcdef"
PUBLIC = "https://relay.example.com/twilio/events"
WORKER = "WK" + "1" * 32
HEARTBEATS = 12


class CountedStore(SqliteStore):
    """The relay's own SQLite store, its reads of a stream counted (what each costs a Redis store: a round trip)."""

    reads = 0

    async def after(self, worker: str, last_id: int | None, limit: int = 500) -> list[Kept]:
        self.reads += 1
        return await super().after(worker, last_id, limit)

    async def newest(self, worker: str) -> int | None:
        self.reads += 1
        return await super().newest(worker)


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[str, CountedStore]]:
    store = CountedStore(tmp_path / "relay.sqlite3", clock=time.time, synchronous="NORMAL")
    settings = RelaySettings(auth_token=AUTH_TOKEN, secret=SECRET, public_url=PUBLIC, heartbeat_s=0.05)
    running = serve_in_thread([create_app(settings, store=store)])
    try:
        yield running.urls[0], store
    finally:
        running.stop()


def _post(url: str, params: dict[str, str]) -> None:
    headers = {
        "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC, params),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    answer = httpx.post(f"{url}/twilio/events", content=urlencode(params).encode(), headers=headers, timeout=5)
    assert answer.status_code == 204


def _activity(name: str) -> dict[str, str]:
    return {"EventType": "worker.activity.update", "WorkerSid": WORKER, "WorkerActivityName": name}


def test_a_waiting_desks_heartbeats_read_nothing_from_the_store_and_its_event_still_comes_at_once(
    relay: tuple[str, CountedStore],
) -> None:
    url, store = relay
    _post(url, _activity("Available"))  # the worker's stream exists
    headers = {"Authorization": f"Bearer {reader_token(SECRET, WORKER)}"}
    with (
        httpx.Client(base_url=url, timeout=httpx.Timeout(5, read=3)) as client,
        client.stream("GET", f"/v1/Workers/{WORKER}/Events", headers=headers) as stream,
    ):
        lines = stream.iter_lines()
        assert next(lines) == ": connected"
        opened = store.reads  # the stream's opening: its newest event, its first read
        beats = 0
        for line in lines:
            beats += line == ": heartbeat"
            if beats == HEARTBEATS:
                break
        waited = store.reads - opened
        # The stream's first read and one look at the newest event: the heartbeats after it read nothing.
        assert waited <= 2, f"{waited} reads of the store over {HEARTBEATS} heartbeats"
        before_event = store.reads
        _post(url, _activity("Break"))
        data = next(line for line in lines if line.startswith("data: "))
        assert '"WorkerActivityName": "Break"' in data or '"WorkerActivityName":"Break"' in data
        assert next(line for line in lines if line.startswith(":")) == ": heartbeat"  # caught up, waiting again
        # The event read once, then one look before waiting again.
        assert store.reads - before_event <= 2, f"{store.reads - before_event} reads to deliver one event"
