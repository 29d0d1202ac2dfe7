"""Names and status messages from the presence server are shown literally, through the real server to the screen:
markup does nothing, escape sequences never reach the terminal — in the list, the menu and the message dialog."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from agent_desktop.domain.formats.text import strip_controls
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.scenes.expert_scenes import experts_table_text, set_presence
from tests.support.scenes.scenes import SIZE, SceneServers, scene_app, wait_until

HOSTILE_NAME = "[@click=app.quit]Eve[/] \x1b[2J\x1b]0;pwned\x07[b]Mallory[/b]"
HOSTILE_STATUS = "[red]on fire[/red] \x1b[31m\x9b2J[@click=app.bell]ring[/]"


async def test_hostile_expert_name_and_status_render_literally_and_do_nothing(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=12, simulator=False, fresh=True)
    presence = create_presence(settings)
    presence.state.directory.db["people"].update("p-0001", {"name": HOSTILE_NAME})  # what a directory sync might carry
    running = serve_in_thread([create_ccaas(settings), create_crm(settings), presence])
    try:
        servers = SceneServers.at(running.urls, settings)
        set_presence(servers, "p-0001", "Available", status_message=HOSTILE_STATUS)
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            # What survives: every character but the control ones (cut to fit a column or a line).
            shown_name = strip_controls(HOSTILE_NAME)[:17]  # the Name column, room kept for a ★
            shown_status = strip_controls(HOSTILE_STATUS)
            await wait_until(pilot, lambda: shown_name in experts_table_text(pilot), "the hostile name, literally")
            row = next(r for r in experts_table_text(pilot).splitlines() if shown_name in r)
            assert shown_status[:24] in row  # the Status column's width
            # Click on the name's "link", then open the menu and the message dialog on that expert.
            await pilot.click("#expert-table", offset=(24, 1))
            table = pilot.app.screen.query_one("#expert-table", DataTable)
            pilot.app.screen.set_focus(table)
            table.move_cursor(row=[i for i in range(table.row_count) if shown_name in str(table.get_row_at(i)[1])][0])
            await pilot.press("enter")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ExpertActions", "the menu")
            who = str(pilot.app.screen.query_one("#expert-actions-who").render())
            assert shown_name in who
            assert shown_status[:30] in who
            await pilot.press("enter")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EscalationDialog", "the dialog")
            assert shown_name in str(pilot.app.screen.query_one("#escalation-to").render())
            screen = pilot.app.export_screenshot()
            assert "\x1b" not in screen
            assert "\x9b" not in screen
            assert "\x07" not in screen
            await pilot.press("escape")
            assert pilot.app.is_running
    finally:
        running.stop()
