"""The awaiting-reply filter on the in-process mocks: three chats in hand, the agent has answered one, a private note
on another; `A` shows the two whose customer wrote last (↩), the note notwithstanding. `agent-awaiting-reply` is that
desk (its clock stepped by nobody: the customers' answers never come, the picture is the same every run)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, go_available, loaded, scene_app, scene_settings, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, steady_cursors, type_burst
from tests.support.scenes.scenes import FROZEN_TIME

SIZE = (120, 40)


async def awaiting_filtered(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await go_available(pilot)
    first, second, third = (caller(mocks, n) for n in (3, 5, 7))
    answered = await take(pilot, mocks, first.email, "chat", "Charged twice this month")
    noted = await take(pilot, mocks, second.email, "chat", "Where is my parcel?")
    await take(pilot, mocks, third.email, "sms", "Update my card")
    desk = agent_screen(pilot).desk
    desk.select(answered)
    await pilot.press("i")
    await type_burst(pilot, "The duplicate charge is refunded.")
    await pilot.press("enter", "escape")
    await wait_until(pilot, lambda: not desk.conversations[answered].awaiting_reply, "answered")
    desk.select(noted)
    await pilot.press("i", "ctrl+t")
    await type_burst(pilot, "Courier says Tuesday; check before replying")
    await pilot.press("enter", "ctrl+t", "escape")
    await wait_until(pilot, lambda: bool(desk.conversations.private_notes(noted)), "the note")
    await pilot.press("A")
    await wait_until(pilot, lambda: answered not in [h.contact.id for h in desk.listed()], "filtered")


async def capture_awaiting(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = scene_settings(Path(data_dir), customers=20).model_copy(update={"frozen_time": FROZEN_TIME})
        mocks = InProcessMocks(settings, start=FROZEN_TIME)
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await awaiting_filtered(pilot, mocks)
                steady_cursors(pilot)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
