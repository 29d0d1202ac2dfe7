"""For `make screenshots`: the supervisor's gap chart (`g`) on the steady floor, and the agent's shift today
in my day (`d`, on the in-process mocks, whose clock the scene holds), the same every run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent_desktop.ui.supervisor.staffing.workforce_chart import WorkforceChart
from tests.support.in_process.scenes import loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import steady_cursors
from tests.support.scenes.supervisor_scene import SteadyFloor, frozen_supervisor_app, supervisor_scene_ready

SIZE = (120, 40)


async def capture_supervisor_workforce(name: str, out: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir, SteadyFloor(Path(data_dir)) as servers:
        app = frozen_supervisor_app(servers)
        async with app.run_test(size=size) as pilot:
            await supervisor_scene_ready(pilot)
            chart = pilot.app.screen.query_one("#workforce", WorkforceChart)
            await pilot.press("g")
            await wait_until(pilot, lambda: chart.coverage is not None, "the gap chart")
            await pilot.pause(0.3)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))


async def capture_agent_schedule(name: str, out: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await loaded(pilot)
                await pilot.press("d")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "MyDayView", "my day")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
        finally:
            await mocks.aclose()
