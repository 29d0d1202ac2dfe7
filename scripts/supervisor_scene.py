"""Supervisor mode against the real mock CCaaS: the app, ways to read its panels, and a steady floor.

Used by the supervisor Pilot tests, the supervisor snapshot test and `make screenshots`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx
from textual.pilot import Pilot

from desktop.backends.factory import build_backends
from desktop.demo import demo_settings
from desktop.ui.app import AgentDesktopApp, utc_now
from scripts.pilot_steps import wait_until
from scripts.scenes import FROZEN_TIME, SceneServers

SUPERVISOR_TOKEN = "demo-supervisor-token"


def supervisor_app(
    servers: SceneServers,
    *,
    clock: Callable[[], datetime] = utc_now,
    longest_wait_alert_s: float = 60.0,
    desks: tuple[str, ...] = ("supervisor",),
) -> AgentDesktopApp:
    backends = build_backends(demo_settings(servers.ccaas_url, servers.crm_url, servers.presence_url), supervisor=True)
    return AgentDesktopApp(backends, clock=clock, desks=desks, longest_wait_alert_s=longest_wait_alert_s)  # type: ignore[arg-type]


def rows(pilot: Pilot, selector: str) -> list[str]:
    """A supervisor table's rows as plain text, in the order shown."""
    table = pilot.app.screen.query_one(selector)
    return [table.row_text(key) for key in table.keys]


def row(pilot: Pilot, selector: str, starts_with: str) -> str:
    return next((r for r in rows(pilot, selector) if r.startswith(starts_with) or f"| {starts_with}" in r), "")


def status(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one("#floor-status").render())


async def wait_for_floor(pilot: Pilot) -> None:
    await wait_until(pilot, lambda: len(rows(pilot, "#agents")) > 0 and len(rows(pilot, "#queues")) > 0, "the floor")


class Floor:
    """Acting on the mock contact center as agents and as the phone network would."""

    def __init__(self, servers: SceneServers) -> None:
        self.servers = servers
        self.url = servers.ccaas_url

    def _call(self, method: str, path: str, token: str, **kwargs) -> dict | list:
        response = httpx.request(
            method, f"{self.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=5, **kwargs
        )
        response.raise_for_status()
        return response.json()

    def as_supervisor(self, method: str, path: str, **kwargs) -> dict | list:
        return self._call(method, path, SUPERVISOR_TOKEN, **kwargs)

    def as_agent(self, agent_id: str, method: str, path: str, **kwargs) -> dict | list:
        token = "demo-agent-token" if agent_id == "agent-001" else f"{agent_id}-token"
        return self._call(method, path, token, **kwargs)

    def set_state(self, agent_id: str, state: str, reason: str | None = None) -> dict:
        return self.as_agent(agent_id, "PUT", f"/v1/agents/{agent_id}/state", json={"state": state, "reason": reason})  # type: ignore[return-value]

    def handle_next(self, agent_id: str, disposition: str | None = None) -> dict:
        """The agent accepts their pending offer, ends the contact and wraps it up."""
        offer = self.as_agent(agent_id, "GET", f"/v1/agents/{agent_id}/offers")[0]  # type: ignore[index]
        contact = self.as_agent(agent_id, "POST", f"/v1/offers/{offer['id']}/accept")
        self.as_agent(agent_id, "POST", f"/v1/contacts/{contact['id']}/end")
        queue = next(q for q in self.as_supervisor("GET", "/v1/queues") if q["id"] == contact["queue_id"])  # type: ignore[union-attr]
        return self.as_agent(
            agent_id, "POST", f"/v1/contacts/{contact['id']}/complete",
            json={"disposition": disposition or queue["dispositions"][0]},
        )  # type: ignore[return-value]  # fmt: skip


def frozen_clock() -> datetime:
    return FROZEN_TIME
