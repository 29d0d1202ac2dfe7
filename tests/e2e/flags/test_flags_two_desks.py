"""Help from the supervisor, by keyboard (Pilot) over the real mock servers on loopback, with the
agent's and the supervisor's desks in one app (f2 switches, as tests/e2e/monitoring/test_supervisor_monitor.py drives them):
a flag raised on the agent's desk (`!`) shows in the supervisor's flags queue with the contact and the agent, the
supervisor answers it (`a`) and the answer comes back to the agent's desk with the bell, where the thread shows on
`!`; a broadcast (`!` on the supervisor's desk) reaches the agent's desk and disappears at its expiry (the desk's
clock moved past it: a minute is the shortest a supervisor types)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.alerts.flags_table import FlagsTable
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, text_of, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers
from tests.support.scenes.supervisor_scene import wait_for_floor


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=0.05) as served:
        yield served


def screen_named(pilot: Pilot[None], name: str) -> bool:
    return type(pilot.app.screen).__name__ == name


async def write_in_dialog(pilot: Pilot[None], dialog: str, text: str) -> None:
    await wait_until(pilot, lambda: screen_named(pilot, dialog), dialog)
    await pilot.press(*text, "enter")
    await wait_until(pilot, lambda: not screen_named(pilot, dialog), f"{dialog} closed, sent")


async def test_a_flag_shows_on_the_supervisors_desk_the_answer_comes_back_and_a_broadcast_expires(
    servers: SceneServers,
) -> None:
    skew = [timedelta(0)]  # the desks' clock, moved past a broadcast's expiry at the end

    def clock() -> datetime:
        return datetime.now(UTC) + skew[0]

    app = desk_app(servers.backends(supervisor=True), clock=clock, desks=("agent", "supervisor"))
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    app.NOTIFICATION_TIMEOUT = 120  # type: ignore[misc]  # this app's own, over Textual's class default  # an error toast stays until a failing step describes the screen
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        servers.place_call(servers.caller(3).phone_e164, subject="Late fee")
        await wait_until(pilot, lambda: "Late fee" in str(pilot.app.screen.query_one("#offer").render()), "the offer")
        await pilot.press("a")
        await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
        contact_id = present(agent_screen(pilot).desk.selected_id)
        await pilot.press("exclamation_mark")
        await write_in_dialog(pilot, "FlagThreadDialog", "Caller wants a manager")

        await pilot.press("f2")
        await wait_for_floor(pilot)
        table = pilot.app.screen.query_one("#flags", FlagsTable)
        await wait_until(pilot, lambda: table.display and table.row_count == 1, "the flag in the supervisor's queue")
        row = table.row_text(table.keys[0])
        assert "Alex Morgan" in row, row
        assert contact_id in row, row
        assert "Caller wants a manager" in row, row
        await pilot.press("shift+tab")  # from the queues to the flags, above them
        await wait_until(pilot, lambda: pilot.app.focused is table, "the flags table in use")
        before = len(bells)
        await pilot.press("a")
        await write_in_dialog(pilot, "FlagThreadDialog", "Transfer to me, ext 2200")

        await pilot.press("f2")
        await wait_until(pilot, lambda: len(bells) > before, "the bell for the answer on the agent's desk")
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: screen_named(pilot, "FlagThreadDialog"), "the thread")
        thread = text_of(pilot.app.screen.query_one("#flag-thread"))
        assert "Riley Chen: Transfer to me, ext 2200" in thread, thread
        await pilot.press("escape")

        await pilot.press("f2")
        await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "the supervisor's desk")
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: screen_named(pilot, "BroadcastDialog"), "the broadcast dialog")
        await pilot.press(*"Fire drill at 3", "tab", "backspace", "backspace", "1", "enter")
        await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "sent")
        await pilot.press("f2")
        banner = pilot.app.screen.query_one("#broadcasts")
        await wait_until(pilot, lambda: banner.display and "Fire drill at 3" in text_of(banner), "the broadcast shown")
        skew[0] = timedelta(seconds=61)
        await wait_until(pilot, lambda: not banner.display, "the broadcast gone at its expiry")
