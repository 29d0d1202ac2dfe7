"""A supervisor who joins a call's chat and leaves it has both written to the CRM, on the desk as the demo wires a
supervisor's (its CRM with the supervisor's token) and as the screenshot scenes wire it (the same, the console on a
frozen clock): read back from the mock CRM over HTTP with the supervisor's token, a `joined` and a `left` record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from tests.e2e.monitoring.test_supervisor_monitor import AGENT, chat_in_hand, monitor_agent, panel_text
from tests.support.desk_app import desk_app
from tests.support.scenes.monitor_scenes import frozen_clock
from tests.support.scenes.pilot_steps import wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers
from tests.support.scenes.supervisor_scene import Floor


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=0.05) as served:
        yield served


def write_the_agents_interaction(servers: SceneServers, contact: dict[str, Any]) -> None:
    """The agent's wrap-up written back (their desk's, with the agents' token): the supervision records are listed
    under the contact's interaction."""
    body = {
        "contact_id": contact["id"],
        "channel": contact["channel"],
        "agent_id": AGENT,
        "queue_id": contact["queue_id"],
        "disposition": "Resolved",
    }
    headers = {"Authorization": "Bearer demo-crm-token", "Idempotency-Key": f"wrap-up-{contact['id']}"}
    written = httpx.post(f"{servers.crm_url}/v1/interactions", json=body, headers=headers, timeout=5)
    assert written.status_code in (200, 201), written.text


def supervision(servers: SceneServers, contact_id: str) -> list[dict[str, Any]]:
    """The contact's supervision records as the CRM gives them to a supervisor's token."""
    found = httpx.get(
        f"{servers.crm_url}/v1/interactions",
        params={"contact_id": contact_id},
        headers={"Authorization": "Bearer demo-crm-supervisor-token"},
        timeout=5,
    ).json()
    records: list[dict[str, Any]] = found[0]["supervision"] if found else []
    return records


@pytest.mark.parametrize("clock", [None, frozen_clock], ids=["demo", "scene"])
async def test_a_supervisors_join_and_leave_land_in_the_crm(
    servers: SceneServers, clock: Callable[[], datetime] | None
) -> None:
    contact = chat_in_hand(Floor(servers), servers)
    write_the_agents_interaction(servers, contact)
    app = desk_app(servers.backends(supervisor=True, clock=clock), desks=("supervisor",))
    async with app.run_test(size=SIZE) as pilot:
        await monitor_agent(pilot, AGENT)
        await wait_until(pilot, lambda: contact["id"] in panel_text(pilot), "the monitor card")
        await pilot.press("l")
        await wait_until(pilot, lambda: not pilot.app.screen.query_one(MonitorPanel).display, "left")
        await wait_until(pilot, lambda: len(supervision(servers, contact["id"])) == 2, "both records in the CRM")
    joined, left = supervision(servers, contact["id"])
    assert (joined["event"], joined["mode"], joined["agent_id"]) == ("joined", "monitor", AGENT)
    assert (left["event"], left["mode"]) == ("left", None)
