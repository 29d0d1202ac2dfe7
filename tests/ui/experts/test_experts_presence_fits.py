"""The experts' presence word is never cut (at 120 columns the panel left the Presence column 9 cells,
"Do not disturb" and "Available (idle)" lost their ends and the header its words): at 120×40 and at 80×24 the
column holds the longest presence word whole, and each expert's row shows theirs."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from agent_desktop.ui.agent.experts.presence_labels import PRESENCE_LABELS
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import loaded, scene_app
from tests.support.scenes.pilot_steps import agent_screen

LONGEST = max((word for _, word, _ in PRESENCE_LABELS.values()), key=len)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_presence_word_fits_its_column(mocks: InProcessMocks, size: tuple[int, int]) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        if size == (80, 24):
            await pilot.press("slash")  # one pane at a time: the experts brought up
        await pilot.pause(0.3)
        table = pilot.app.screen.query_one("#expert-table", DataTable)
        presence = list(table.columns.values())[-1]
        assert presence.width >= len(LONGEST), f"{presence.width} cells: {LONGEST!r} would be cut"
        header = table.render_line(0).text
        assert "Presence" in header, header
        experts = {e.name: e for e in agent_screen(pilot).desk.directory.experts.values()}
        for y in range(1, min(table.row_count, table.scrollable_content_region.height - 1) + 1):
            line = table.render_line(y).text
            name = next(n for n in experts if n[:14] in line)
            word = PRESENCE_LABELS[experts[name].presence.availability][1]
            assert word in line, f"{name}'s presence {word!r} cut: {line!r}"
