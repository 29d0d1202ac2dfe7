"""Reader mode for `make screenshots` (docs/accessibility.md): a chat in hand, its customer writing, a call missed
before it, and the review region saying each in order above the footer. On the in-process mocks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from agent_desktop.ui.agent.reader_log import ReaderLog
from tests.support.desk_app import desk_app
from tests.support.in_process.scenes import go_available, loaded, scene_mocks, take, wait_until
from tests.support.scenes.pilot_steps import steady_cursors

SIZE = (120, 40)


async def capture_reader(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = desk_app(mocks.backends(), clock=mocks.clock.now, reader=True)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await loaded(pilot)
                await go_available(pilot)
                contact = await take(pilot, mocks, "dana@example.com", "chat", "Refund for order 1042")
                await mocks.customer_says(contact, "Is anyone there? I was charged twice.")
                log = app.screen.query_one("#reader-log", ReaderLog)
                await wait_until(pilot, lambda: "Is anyone there" in "\n".join(log.lines_said), "the message said")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
