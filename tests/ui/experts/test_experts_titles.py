"""The experts panel's titles say what its rows show: "★ for billing" comes with the starred order, and the
count of free people with the presences that make it, never a frame before them (an offer's suggestions used
to set the title in the screen pop's own frame, the rows 0.15 s later)."""

from __future__ import annotations

from textual.widgets import DataTable

from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.domain.models import Availability, Presence
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
from tests.support.experts_panel_host import PanelHost, expert
from tests.support.hostile_models import AT


def _starred_names(panel: ExpertsPanel) -> list[str]:
    table = panel.query_one(DataTable)
    return [
        str(table.get_row_at(index)[1])
        for index in range(table.row_count)
        if str(table.get_row_at(index)[1]).startswith("★")
    ]


async def test_suggested_skills_title_comes_with_the_starred_rows() -> None:
    directory = ExpertDirectory()
    directory.show(
        [
            expert("p1", "Ann Ledger", ["sales"], Availability.AVAILABLE),
            expert("p2", "Bo Billing", ["billing"], Availability.AVAILABLE),
        ]
    )
    app = PanelHost(directory)
    async with app.run_test() as pilot:
        panel = app.screen.query_one(ExpertsPanel)
        panel.directory_changed()
        await pilot.pause(0.4)
        assert "★" not in str(panel.border_title)
        assert _starred_names(panel) == []

        directory.suggest(("billing",))  # an offer for the billing queue
        panel.directory_changed()
        # Until the rows are drawn in the new order, neither the title nor the rows say so.
        assert "★" not in str(panel.border_title)
        assert _starred_names(panel) == []
        await pilot.pause(0.5)
        assert "★ for billing" in str(panel.border_title)
        assert _starred_names(panel) == ["★ Bo Billing"]
        assert app.screen.query_one(DataTable).get_row_at(0)[1].plain == "★ Bo Billing"  # listed first


async def test_free_count_changes_with_the_presence_rows() -> None:
    directory = ExpertDirectory()
    directory.show([expert("p1", "Ann Ledger", ["sales"], Availability.AVAILABLE)])
    app = PanelHost(directory)
    async with app.run_test() as pilot:
        panel = app.screen.query_one(ExpertsPanel)
        panel.directory_changed()
        await pilot.pause(0.4)
        assert "1 available" in str(panel.border_subtitle)

        directory.update_presence("p1", Presence(availability=Availability.BUSY, changed_at=AT))
        panel.directory_changed()
        await pilot.pause(0.5)
        assert "0 available" in str(panel.border_subtitle)
        assert "Busy" in str(panel.query_one(DataTable).get_row_at(0)[4])
