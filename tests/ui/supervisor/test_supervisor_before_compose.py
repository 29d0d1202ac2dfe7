"""f2 to the supervisor's desk at the wrong moment ended the demo (seen once in tmux at load 3.7): Textual asks the
screen which keys apply (`check_action`) as soon as it is the app's screen, before its compose has run, and the
answer looked for the queues table that was not there yet (NoMatches)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen
from tests.support.in_process.scenes import SIZE, loaded, scene_app, scene_mocks
from tests.support.narrowing import of_kind


async def test_the_supervisor_desk_answers_which_keys_apply_before_it_is_composed(tmp_path: Path) -> None:
    mocks = scene_mocks(tmp_path / "mocks")
    try:
        app = scene_app(mocks, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            supervisor = of_kind(app.get_screen("supervisor"), SupervisorScreen)
            assert not supervisor.query("#queues"), "not composed yet: it has never been shown"
            for action in ("set_agent_state", "priority_up", "join"):
                supervisor.check_action(action, ())  # raised NoMatches
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen is supervisor
            assert app.is_running
    finally:
        await mocks.aclose()


async def test_floor_changes_while_the_app_shuts_down_draw_nothing(tmp_path: Path) -> None:
    """The floor's stream and clock go on while the app takes the screen's widgets away, before the screen's own
    messages and timer stop: a redraw or a tick then drew into widgets that had gone (NoMatches, seen once in a
    full run as the supervisor's monitor test ended). Nothing is drawn once the app stops running."""
    mocks = scene_mocks(tmp_path / "mocks")
    try:
        app = scene_app(mocks, desks=("supervisor", "agent"))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            supervisor = of_kind(app.get_screen("supervisor"), SupervisorScreen)
            shutting_down = asyncio.get_running_loop().create_future()

            async def flood() -> None:  # a change of the floor at every turn of the loop, as a busy floor makes
                while not shutting_down.done():
                    supervisor.desk.feed.announce()
                    if not app.is_running:  # and what its timer and a pending redraw do meanwhile
                        supervisor.redraw()
                        supervisor.tick()
                    await asyncio.sleep(0)

            flooding = asyncio.create_task(flood())
        shutting_down.set_result(None)
        await flooding
    finally:
        await mocks.aclose()
