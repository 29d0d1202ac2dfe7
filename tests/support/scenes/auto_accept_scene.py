"""Auto-accept for `make screenshots`: a call offered on a queue that auto-accepts voice, its card counting
down to the accept with the key that stops it. On the in-process mocks, whose clock the scene steps (a second of
the three gone)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.support.in_process.scenes import caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text, steady_cursors

SIZE = (120, 40)


async def capture_auto_accept(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            await mocks.set_auto_accept("billing", "voice", 3)
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await loaded(pilot)
                await go_available(pilot)
                await mocks.place_call(caller(mocks, 4).phone_e164, subject="Late fee on my bill")
                await wait_until(pilot, lambda: "Accepts in 3 s" in screen_text(pilot, "#offer"), "the countdown")
                mocks.time.advance(1)
                await wait_until(pilot, lambda: "Accepts in 2 s" in screen_text(pilot, "#offer"), "a second gone")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
