"""f2 to the supervisor's desk at the wrong moment ended the demo (seen once in tmux at load 3.7): Textual asks the
screen which keys apply (`check_action`) as soon as it is the app's screen, before its compose has run, and the
answer looked for the queues table that was not there yet (NoMatches)."""

from __future__ import annotations

from tests.support.in_process.scenes import SIZE, loaded, scene_app, scene_mocks


async def test_the_supervisor_desk_answers_which_keys_apply_before_it_is_composed(tmp_path):
    mocks = scene_mocks(tmp_path / "mocks")
    try:
        app = scene_app(mocks, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            supervisor = app.get_screen("supervisor")
            assert not supervisor.query("#queues"), "not composed yet: it has never been shown"
            for action in ("set_agent_state", "priority_up", "join"):
                supervisor.check_action(action, ())  # raised NoMatches
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen is supervisor and app.is_running
    finally:
        await mocks.aclose()
