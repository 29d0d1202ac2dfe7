"""The presence simulator and the seeded directory."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import connect_sse

from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.presence.app import create_app
from agent_desktop_mocks.presence.schemas import Availability
from agent_desktop_mocks.presence.simulator import next_presence

AUTH = {"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"}


def _settings(tmp_path: Path, name: str, **changes: object) -> MockSettings:
    values = {"data_dir": tmp_path / name, "seed": 5, "experts": 12, "simulator": False, "fresh": True}
    return MockSettings(**(values | changes))


def test_the_simulator_changes_presence_within_seconds(tmp_path: Path) -> None:
    # The seeded directory is deterministic: an identical app without the simulator shows the start.
    simulated = create_app(_settings(tmp_path, "sim", simulator=True, speed=20))
    running = serve_in_thread([simulated, create_app(_settings(tmp_path, "still"))])
    started = time.monotonic()
    try:
        sim_url, still_url = running.urls
        seeded = {p["id"]: p["presence"] for p in httpx.get(f"{still_url}/v1/people", headers=AUTH).json()}
        with httpx.Client(base_url=sim_url, headers=AUTH, timeout=httpx.Timeout(3.0)) as client:
            with connect_sse(client, "GET", "/v1/presence/events", headers={"Last-Event-ID": "0"}) as source:
                first = next(source.iter_sse())
            assert time.monotonic() - started < 2.5
            assert first.id == "1"
            assert first.event == "presence"
            changed = first.json()
            assert changed["type"] == "presence"
            assert changed["person_id"] in seeded
            assert changed["presence"]["availability"] != seeded[changed["person_id"]]["availability"]
            # the directory shows the changes too
            time.sleep(0.5)
            now = {p["id"]: p["presence"] for p in client.get("/v1/people").json()}
            assert sum(now[i]["availability"] != seeded[i]["availability"] for i in seeded) >= 1
    finally:
        running.stop()


def test_simulated_changes_always_move_somewhere_believable() -> None:
    rng = random.Random(1)
    for availability in Availability:
        for _ in range(50):
            update = next_presence(rng, availability)
            assert update.availability != availability
            assert update.activity is not None
    # from a call or a meeting, people mostly come back to Available
    returns = [next_presence(rng, Availability.BUSY).availability for _ in range(200)]
    assert returns.count(Availability.AVAILABLE) > 100


def test_the_same_seed_gives_the_same_directory(tmp_path: Path) -> None:
    apps = [create_app(_settings(tmp_path, "a")), create_app(_settings(tmp_path, "b"))]
    apps.append(create_app(_settings(tmp_path, "c", seed=6)))
    running = serve_in_thread(apps)
    try:
        directories = [httpx.get(f"{url}/v1/people", headers=AUTH).json() for url in running.urls]
    finally:
        running.stop()

    def names(people: list[dict[str, Any]]) -> list[tuple[str, str, str, tuple[str, ...]]]:
        return sorted((p["id"], p["name"], p["department"], tuple(p["skills"])) for p in people)

    assert names(directories[0]) == names(directories[1])
    assert names(directories[0]) != names(directories[2])
