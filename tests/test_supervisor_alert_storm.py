"""A fresh floor of 100 queues does not bury the supervisor in toasts (issue 24, item 10), by Pilot.

Before: the first caller of each queue who hung up made its service level 0 % and a toast of its
own, and at 100 queues they covered half the screen for about 30 s. Now a level counts once
ten contacts left the queue, and the alerts that appear together make one notification.
"""

from __future__ import annotations

import httpx
import pytest

from mock_backends.ccaas.app import create_app as create_ccaas
from mock_backends.common.runner import serve_in_thread
from mock_backends.common.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from scripts.pilot_steps import wait_until
from scripts.scenes import SIZE, SceneServers
from scripts.supervisor_scene import rows, status, supervisor_app, wait_for_floor

QUEUES = 100


@pytest.fixture
def big_floor(tmp_path):
    """100 queues, nobody signed in, no simulator: only the callers the test places."""
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=40, experts=5, agents=200, queues=QUEUES, simulator=False, fresh=True)
    running = serve_in_thread([create_ccaas(settings)])
    try:
        url = running.urls[0]
        yield SceneServers(url, url, url, settings)  # the supervisor desk talks to the contact center only
    finally:
        running.stop()


class Callers:
    def __init__(self, servers: SceneServers) -> None:
        self.http = httpx.Client(base_url=servers.ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"})
        self.queue_ids = [q["id"] for q in self.http.get("/v1/queues").raise_for_status().json()]
        self.number = 0

    def hang_up(self, queue_id: str, callers: int = 1) -> None:
        """Callers enter the queue and give up before anyone answers: the queue's service level is 0 %."""
        for _ in range(callers):
            self.number += 1
            body = {"queue_id": queue_id, "channel": "voice", "from_address": f"+1212555{self.number:04d}"}
            contact = self.http.post("/v1/contacts", json=body).raise_for_status().json()
            self.http.post(f"/v1/contacts/{contact['id']}/abandon").raise_for_status()


def queue_toasts(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications if str(n.title).startswith("Queue alert")]


async def test_a_fresh_floor_of_100_queues_makes_no_storm_of_alerts(big_floor):
    callers = Callers(big_floor)
    assert len(callers.queue_ids) == QUEUES
    for queue_id in callers.queue_ids[:60]:
        callers.hang_up(queue_id)  # 0 % from one contact: shown, not alerted
    below = callers.queue_ids[60:63]
    for queue_id in below:
        callers.hang_up(queue_id, callers=10)  # 0 % from ten contacts: that counts
    app = supervisor_app(big_floor)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        await wait_until(pilot, lambda: bool(queue_toasts(app)), "the alert")
        await pilot.pause(3)  # a few more statistics arrive
        toasts = queue_toasts(app)
        assert len(toasts) == 1, toasts
        assert toasts[0].startswith("Queue alerts: 3 queues")
        names = [app.screen.floor.queue_name(q) for q in below]
        assert all(name in toasts[0] for name in names)
        assert "(+2 more)" in status(pilot)
        marked = [r for r in rows(pilot, "#queues") if r.startswith("⚠")]
        assert len(marked) == 3
        first = next(r for r in rows(pilot, "#queues") if app.screen.floor.queue_name(callers.queue_ids[0])[:10] in r)
        assert "0% ▶ few" in first  # the level is there, dim, without "Below"

        # More queues cross while the floor runs: they join the status line at once, the next
        # notification waits its turn (one every 20 s at most).
        for queue_id in callers.queue_ids[63:70]:
            callers.hang_up(queue_id, callers=10)
        await wait_until(pilot, lambda: "(+9 more)" in status(pilot), "ten queues alerting")
        await pilot.pause(2)
        assert len(queue_toasts(app)) == 1
