"""A fresh contact center of any size with nobody signed in, and callers the test places (supervisor tests).

No simulator: only the callers the test places, who wait, or hang up before anyone answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.support.scenes.scenes import SceneServers


@contextmanager
def quiet_floor(data_dir: Path, *, agents: int, queues: int) -> Iterator[SceneServers]:
    settings = MockSettings(
        data_dir=data_dir, seed=7, customers=40, experts=5, agents=agents, queues=queues, simulator=False, fresh=True
    )
    running = serve_in_thread([create_ccaas(settings)])
    try:
        url = running.urls[0]
        yield SceneServers(url, url, url, settings)  # the supervisor desk talks to the contact center only
    finally:
        running.stop()


class Callers:
    def __init__(self, servers: SceneServers) -> None:
        self.http = httpx.Client(
            base_url=servers.ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
        )
        self.queue_ids = [q["id"] for q in self.http.get("/v1/queues").raise_for_status().json()]
        self.number = 0

    def call(self, queue_id: str, callers: int = 1, *, hang_up: bool = False) -> None:
        """Callers enter the queue; those who hang up leave it unanswered (its service level falls)."""
        for _ in range(callers):
            self.number += 1
            body = {"queue_id": queue_id, "channel": "voice", "from_address": f"+1212555{self.number:04d}"}
            contact = self.http.post("/v1/contacts", json=body).raise_for_status().json()
            if hang_up:
                self.http.post(f"/v1/contacts/{contact['id']}/abandon").raise_for_status()
