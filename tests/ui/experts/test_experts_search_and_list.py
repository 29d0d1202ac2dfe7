"""Between the experts' search and its results by the arrows alone, as in a finder: `↓` in the search goes down into
the results (on the first), `↑` on the first result goes back up to the search with what was typed there, to go on
typing; `↑` lower in the list only moves the cursor."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen


def focused(pilot: Pilot[None]) -> Widget | None:
    return pilot.app.focused


async def test_up_on_the_first_result_goes_back_to_the_search_with_its_words(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        directory = agent_screen(pilot).desk.directory
        await wait_until(pilot, lambda: len(directory.experts) > 3, "the directory")
        search = pilot.app.screen.query_one("#expert-search", Input)
        table = pilot.app.screen.query_one("#expert-table", DataTable)

        await pilot.press("slash", "a")
        await wait_until(pilot, lambda: search.value == "a" and table.row_count > 2, "the search's results")
        await pilot.press("down", "down")
        assert focused(pilot) is table
        assert table.cursor_row == 1
        await pilot.press("up")
        assert (focused(pilot), table.cursor_row) == (table, 0), "↑ lower in the list moves the cursor"
        await pilot.press("up")
        assert focused(pilot) is search, "↑ on the first result goes back to the search"
        await pilot.press("n")
        assert search.value == "an", "what was typed in the search stays, and typing goes on"
