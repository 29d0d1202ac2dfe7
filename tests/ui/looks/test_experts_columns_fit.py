"""The experts' columns fit the panel: at 120×40 the panel is 58 cells wide and the widest widths (106 cells) left
the presence word one letter ("A"), the status off screen. Each column now gets its least, then the room left in
order: the name, the skills, the department, the status."""

from __future__ import annotations

import pytest

from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.domain.models import Availability
from agent_desktop.ui.agent.experts.experts_panel import COLUMNS, LEAST_WIDTHS, ExpertsPanel, column_widths
from agent_desktop.ui.textual_compat import screenshot_text
from tests.support.experts_panel_host import PanelHost, expert


@pytest.mark.parametrize("panel_width", [58, 70])  # the panel at 120×40; at 140×40
async def test_the_presence_word_shows_whole_in_a_narrow_panel(panel_width: int) -> None:
    directory = ExpertDirectory()
    directory.show(
        [
            expert("p1", "Katherine Williams", ["billing", "refunds", "retention"], Availability.AVAILABLE),
            expert("p2", "Bo Ledger", ["sales"], Availability.BUSY),
        ]
    )
    app = PanelHost(directory)
    async with app.run_test(size=(panel_width, 12)) as pilot:
        app.screen.query_one(ExpertsPanel).directory_changed()
        await pilot.pause(0.4)
        lines = screenshot_text(app).splitlines()
        assert any("Katherine" in line and "Available" in line for line in lines), lines
        assert any("Bo Ledger" in line and "Busy" in line for line in lines), lines
        assert any("Department" in line for line in lines), lines


def test_each_column_gets_its_least_then_the_room_up_to_its_most_and_the_status_the_rest() -> None:
    least = sum(LEAST_WIDTHS)
    for room in range(least, 200):
        widths = column_widths(room)
        assert sum(widths) == room
        assert all(w >= low for w, low in zip(widths, LEAST_WIDTHS, strict=True))
        assert all(w <= most for w, (_, most) in zip(widths[:-1], COLUMNS[:-1], strict=True))
    assert column_widths(least - 5) == LEAST_WIDTHS  # too narrow: the table scrolls sideways
    assert column_widths(200)[:-1] == tuple(most for _, most in COLUMNS[:-1])
