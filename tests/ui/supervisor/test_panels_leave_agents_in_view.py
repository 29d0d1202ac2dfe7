"""A panel opened under the floor at 120×40 — a contact monitored (`j`), the gap chart (`g`), the adherence board
(`r`) — leaves rows of agents in view (with a monitor card or the gap chart open the agents' table
showed its header and no row): the staffing advice gives the panel its place, and comes back when it closes. And at
80×24 flags and alerts both asking leave agents in view too (one agent row was left): each keeps one row in sight."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_app
from tests.support.scenes.flags_scene import flags_scene
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until

AGENTS_IN_VIEW = 3  # rows of agents under the table's header, at least


def agent_rows_in_view(pilot: Pilot[None]) -> int:
    table = pilot.app.screen.query_one(AgentTable)
    return min(table.row_count, max(0, table.scrollable_content_region.height - 1))


async def test_a_panel_under_the_floor_leaves_agents_in_view_at_120x40(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
    async with app.run_test(size=(120, 40)) as pilot:
        await go_available(pilot)
        await mocks.place_call(callers(mocks.settings.seed, mocks.settings.customers)[3].phone_e164)
        await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
        await pilot.press("a")
        await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        screen = supervisor_screen(pilot)
        agents = screen.query_one("#agents", AgentTable)
        await wait_until(pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 3, "floor")
        staffing = screen.query_one("#staffing")
        assert staffing.display, "the staffing advice, with nothing open under the floor"

        await pilot.press("g")
        await wait_until(pilot, lambda: screen.query_one("#workforce").display, "the gap chart")
        await pilot.pause(0.1)
        assert agent_rows_in_view(pilot) >= AGENTS_IN_VIEW, "the gap chart left no agent in view"
        await pilot.press("g")  # the chart closed: the advice back
        await wait_until(pilot, lambda: not screen.query_one("#workforce").display, "the gap chart closed")
        assert staffing.display, "the staffing advice back once nothing is open under the floor"

        agents.focus()
        agents.move_cursor(agents.keys.index("agent-001"))
        await pilot.pause(0.1)
        await pilot.press("j")
        await wait_until(pilot, lambda: screen.query_one("#monitor-panel").display, "the monitor card")
        await pilot.pause(0.1)
        assert agent_rows_in_view(pilot) >= AGENTS_IN_VIEW, "the monitor card left no agent in view"
        await wait_until(pilot, lambda: not staffing.display, "the staffing advice gives the card its place")


async def test_flags_and_alerts_both_asking_leave_agents_in_view_at_80x24(mocks: InProcessMocks) -> None:
    app = scene_app(mocks, desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await flags_scene(pilot, mocks)  # three flags, and the alerts on the agent's own call
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.query_one("#said-alerts").display, "the alerts too")
        await pilot.pause(0.1)
        assert agent_rows_in_view(pilot) >= AGENTS_IN_VIEW, f"{agent_rows_in_view(pilot)} agents' rows in view"
        for panel in ("#flags", "#said-alerts"):
            table = screen.query_one(panel)
            assert table.scrollable_content_region.height - 1 >= 1, f"{panel}: no row of it in sight"
