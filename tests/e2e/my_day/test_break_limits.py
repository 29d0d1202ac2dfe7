"""Breaks with limits on the real mock servers: the floor's Break lasts a few seconds at most, the clock
runs. The agent picks Break with `n` by keys, the status line counts the time left down and says "over by" once
past it; the contact center itself says the agent is not ready for Break with that limit; f2 shows the supervisor
the agent marked over the limit in the agents table and one notification of the overrun, not one per tick."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from textual.pilot import Pilot

from agent_desktop.ui.agent.reason_picker import ReasonPicker
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.core.wire.schemas import BreakLimit
from tests.support.scenes.pilot_steps import in_front
from tests.support.scenes.scenes import SIZE, go_available, scene_servers, screen_text, wait_until
from tests.support.scenes.supervisor_scene import supervisor_app

AGENT = {"Authorization": "Bearer demo-agent-token"}
LIMIT_S = 8  # long enough to see the time left on a loaded machine, short enough to see it run over
TOLD = "Break over its limit"


def overrun_notices(pilot: Pilot[None]) -> dict[str, str]:
    """The overrun toasts on show, by identity (a toast told again would be a new one)."""
    return {n.identity: n.message for n in notifications(pilot.app) if n.title == TOLD}


async def test_a_break_counts_down_runs_over_and_the_supervisor_is_told_once(tmp_path: Path) -> None:
    limits = {"Break": BreakLimit(max_s=LIMIT_S)}
    with scene_servers(tmp_path, frozen=False, customers=20, break_limits=limits) as servers:
        app = supervisor_app(servers, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await pilot.press("n")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
            picker = in_front(pilot, ReasonPicker)
            labels = [str(label) for _, label in picker.options]
            assert f"Break  (0:{LIMIT_S:02d})" in labels, labels
            assert "Lunch" in labels, labels  # Lunch has none here
            await pilot.press(*["down"] * picker.reasons.index("Break"), "enter")

            def status() -> str:
                return screen_text(pilot, "#agent-status")

            await wait_until(pilot, lambda: "Not ready — Break" in status(), "on a break")
            await wait_until(pilot, lambda: " left" in status(), "the time left")

            agent = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001", headers=AGENT, timeout=5).json()
            assert (agent["state"], agent["reason"]) == ("not_ready", "Break"), agent
            assert agent["break_limits"]["Break"]["max_s"] == LIMIT_S, agent

            await wait_until(pilot, lambda: "over by" in status(), "over the limit", timeout_s=LIMIT_S + 30)
            assert " left" not in status()

            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            agents = pilot.app.screen.query_one("#agents", AgentTable)
            await wait_until(pilot, lambda: "agent-001" in agents, "the agent's row", timeout_s=20)

            def marked() -> bool:
                return agents.cell("agent-001", "time").plain.startswith("!")

            await wait_until(pilot, marked, "the mark", timeout_s=20)
            await wait_until(pilot, lambda: bool(overrun_notices(pilot)), "the notification", timeout_s=20)
            seen = dict(overrun_notices(pilot))
            assert any("Break over its" in message for message in seen.values()), seen
            # The supervisor's clock ticks on (each second): still the one notification for this break.
            watch_until = time.monotonic() + 3.5
            while time.monotonic() < watch_until:
                await pilot.pause(0.25)
                seen.update(overrun_notices(pilot))
            assert len(seen) == 1, seen
            assert marked()
