"""Breaks with limits for `make screenshots`: the agent picks Lunch (30 min) with `n` by keys and the
status line says how far past its limit the break has run. On the in-process mocks, whose clock the scene steps,
so the times are the same every run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent_desktop.ui.agent.reason_picker import ReasonPicker
from tests.support.in_process.scenes import loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import in_front, screen_text, steady_cursors

SIZE = (120, 40)
OVER_S = 1800 + 37  # floor.toml's Lunch, and 37 s past it


async def capture_break_over(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await loaded(pilot)
                await pilot.press("n")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reasons")
                await pilot.press(*["down"] * in_front(pilot, ReasonPicker).reasons.index("Lunch"), "enter")

                def status() -> str:
                    return screen_text(pilot, "#agent-status")

                await wait_until(pilot, lambda: "30:00 left" in status(), "the time left")
                mocks.time.advance(OVER_S)
                await wait_until(pilot, lambda: "over by 0:37" in status(), "over the limit")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
