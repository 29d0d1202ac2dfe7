"""The table of what customers said fits an 80×24 terminal: what was said is cut with "…" inside the table's border,
never run under it (its column used to want 30 cells at least, more than 80 columns leave once the agent and the
alert's cause are drawn); and the agents stay in view under it (the staffing advice gives the alerts its place on
a short terminal: before, the agents' panel kept its header and no row). The scene is `make screenshots`' `supervisor-said-alert-80x24`: two alerts, a listed word
and a mood, on the in-process backends."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.alerts.said_alerts_table import SaidAlertsTable
from tests.support.in_process.scenes import scene_app, scene_mocks
from tests.support.scenes.said_alert_scene import said_alert_scene


async def test_what_was_said_is_cut_inside_the_border_at_80x24_and_agents_stay_in_view() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=(80, 24)) as pilot:
                await said_alert_scene(pilot, mocks)
                table = app.screen.query_one("#said-alerts", SaidAlertsTable)
                room = table.scrollable_content_region.width
                assert table.virtual_size.width <= room, "the rows run under the table's border"
                rows = [table.render_line(y).text for y in range(1, 1 + table.row_count)]
                assert len(rows) == 2
                assert all(row.rstrip().endswith("…") for row in rows), rows
                assert any("lawyer" in row for row in rows), rows
                agents = app.screen.query_one(AgentTable)
                assert agents.scrollable_content_region.height - 1 >= 5, "fewer than 5 agents' rows in view"
                assert not app.screen.query_one("#staffing").display, (
                    "the staffing advice is still in the alerts' place"
                )
        finally:
            await mocks.aclose()
