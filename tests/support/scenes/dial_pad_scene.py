"""Dial pad for `make screenshots`: the agent Not ready, `D` pressed, a number typed as the region writes
it, the caller IDs of the agent's queues listed with billing's first chosen. On the in-process mocks: every run the
same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent_desktop.ui.agent.conversations.dial_pad import DialPad
from tests.support.in_process.scenes import loaded, scene_app, scene_mocks, wait_until

SIZE = (120, 40)


async def capture_dial_pad(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await pilot.press("n", "enter")
                await wait_until(
                    pilot, lambda: "Not ready" in str(app.screen.query_one("#agent-status").render()), "Not ready"
                )
                await pilot.press("D")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, DialPad) and bool(app.screen.choices), "the dial pad"
                )
                await pilot.press(*"(512) 555-0199")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
