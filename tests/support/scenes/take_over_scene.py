"""`make screenshots` of the take-over: the supervisor monitoring a call, asked whether to take it over
(`supervisor-take-over`): the monitor panel's keys with `T take over`, the footer's Take over, the question over them.

The demo's two desks in one app on a frozen clock against the real mock servers: the demo agent answers a call, the
supervisor joins it with `j` and presses `T`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent_desktop.ui.shared.choice_picker import ChoicePicker
from tests.support.desk_app import desk_app
from tests.support.scenes.monitor_scenes import frozen_clock
from tests.support.scenes.pilot_steps import go_available, shows_connected, wait_until
from tests.support.scenes.scenes import SIZE, scene_servers
from tests.support.scenes.supervisor_scene import wait_for_floor


async def capture_take_over(name: str, out: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir, scene_servers(Path(data_dir), seed=42) as servers:
        backends = servers.backends(supervisor=True, clock=frozen_clock)
        app = desk_app(backends, clock=frozen_clock, desks=("agent", "supervisor"))
        app.bell = lambda: None  # type: ignore[method-assign]  # a scene's screenshot rings no bell
        async with app.run_test(size=size) as pilot:
            await go_available(pilot)
            servers.place_call(servers.caller(3).phone_e164, subject="Charged twice for November")
            await wait_until(
                pilot, lambda: "Charged twice" in str(pilot.app.screen.query_one("#offer").render()), "offer"
            )
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
            await pilot.press("f2")
            await wait_for_floor(pilot)
            screen = pilot.app.screen
            table = screen.query_one("#agents")
            await wait_until(pilot, lambda: bool(screen.desk.floor.in_hand.get("agent-001")), "the call in hand")  # type: ignore[attr-defined]
            table.focus()
            table.move_cursor(table.keys.index("agent-001"))  # type: ignore[attr-defined]
            await pilot.press("j")
            await wait_until(pilot, lambda: bool(screen.desk.monitored.contacts), "monitoring the call")  # type: ignore[attr-defined]
            await pilot.press("T")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "asked to take it over")
            await pilot.pause(0.3)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
