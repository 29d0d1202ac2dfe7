"""Clicking about the experts panel as a mouse user does. A double-click selects the text of what was
clicked, a triple-click that of its container: Textual runs `container.query("*")` for it. The panel's
search text used to be a property named `query`, which hid that method: a triple-click crashed the app."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.support.scenes.scenes import SIZE, scene_app, scene_servers, wait_until


def screen_name(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def test_double_clicking_an_expert_opens_their_menu(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            table = pilot.app.screen.query_one("#expert-table", DataTable)
            await wait_until(pilot, lambda: table.row_count > 3, "the experts listed")
            await pilot.double_click("#expert-table", offset=(5, 3))
            await wait_until(pilot, lambda: screen_name(pilot) == "ExpertActions", "the expert's menu")
            await pilot.press("escape")
            await wait_until(pilot, lambda: screen_name(pilot) == "AgentScreen", "back on the agent screen")
            await pilot.triple_click("#expert-table", offset=(5, 3))  # selects the whole panel's text
            await wait_until(pilot, lambda: screen_name(pilot) == "ExpertActions", "the expert's menu again")
            while screen_name(pilot) == "ExpertActions":  # each click of the chain on a row asks for it
                await pilot.press("escape")
                await pilot.pause(0.1)
            await pilot.double_click("#experts", offset=(1, 0))  # the panel itself (its border)
            await pilot.pause(0.2)
            assert pilot.app.is_running, "the app is still running"
            assert pilot.app.return_code is None, "the app is still running"
