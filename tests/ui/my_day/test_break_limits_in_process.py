"""Breaks with limits, by keys on the in-process backends: `n` lists the not-ready reasons with their
limits, the status line counts Lunch's 30 minutes down and says "over by" past them; f2 shows the supervisor the
agent marked in the agents table and one notification of the overrun (not one per tick). A contact center that
declares `break_limits` off shows neither the limit nor the time left. Each at 80×24 too."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.ui.agent.reason_picker import ReasonPicker
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.textual_compat import notifications
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import in_front, screen_text

SMALL = (80, 24)


async def lunch(pilot: Pilot[None]) -> list[str]:
    """`n`, then Lunch from the picker: the labels the picker showed."""
    await pilot.press("n")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
    picker = in_front(pilot, ReasonPicker)
    labels = [str(label) for _, label in picker.options]
    await pilot.press(*["down"] * picker.reasons.index("Lunch"), "enter")
    await wait_until(pilot, lambda: "Not ready — Lunch" in screen_text(pilot, "#agent-status"), "on lunch")
    return labels


def overrun_notices(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in notifications(pilot.app) if n.title == "Break over its limit"]


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_a_lunch_counts_down_runs_over_and_the_supervisor_is_told_once(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=size) as pilot:
        await loaded(pilot)
        labels = await lunch(pilot)
        # floor.toml: Break 15 min, Lunch 30 min, Coaching 30 min; Training and Meeting have none.
        assert "Lunch  (30 min)" in labels, labels
        assert "Break  (15 min)" in labels, labels
        assert "Meeting" in labels, labels

        def status() -> str:
            return screen_text(pilot, "#agent-status")

        await wait_until(pilot, lambda: "30:00 left" in status(), "the time left")
        mocks.time.advance(600)
        await wait_until(pilot, lambda: "20:00 left" in status(), "the time left, ten minutes on")
        mocks.time.advance(1237)
        await wait_until(pilot, lambda: "over by 0:37" in status(), "over the limit")
        assert "left" not in status()

        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        agents = pilot.app.screen.query_one("#agents", AgentTable)
        await wait_until(pilot, lambda: "agent-001" in agents, "the agent's row")
        await wait_until(pilot, lambda: agents.cell("agent-001", "time").plain.startswith("!"), "the mark")
        await wait_until(pilot, lambda: bool(overrun_notices(pilot)), "the notification")
        assert "Alex Morgan: Lunch over its 30:00 by" in overrun_notices(pilot)[0]
        for _ in range(3):  # the clock ticks on: still one notification for this break
            mocks.time.advance(5)
            await pilot.pause(1.1)
        assert len(overrun_notices(pilot)) == 1
        assert agents.cell("agent-001", "time").plain.startswith("!")


async def test_a_contact_center_without_limits_shows_none(mocks: InProcessMocks) -> None:
    off = ContactCenterCapabilities(break_limits=False)
    app = desk_app(mocks.backends(capabilities=off), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        labels = await lunch(pilot)
        assert "Lunch" in labels, labels
        assert not any("min" in label for label in labels), labels
        mocks.time.advance(1900)
        await wait_until(pilot, lambda: "31:" in screen_text(pilot, "#agent-status"), "the time in state")
        assert "over by" not in screen_text(pilot, "#agent-status")
