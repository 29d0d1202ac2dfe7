"""Snoozed and scheduled on the contacts list, on the in-process mocks: three chats in hand, one snoozed (z), one
with a reply scheduled to send later (»), one awaiting our reply (↩); the subtitle counts them. `agent-snoozed` is
that desk (its clock stepped by nobody: nothing wakes and nothing is sent, the picture is the same every run)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.ui.agent.conversations.wait_time_dialog import WaitTimeDialog
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, go_available, loaded, scene_app, scene_settings, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, steady_cursors, type_burst
from tests.support.scenes.scenes import FROZEN_TIME

SIZE = (120, 40)


async def _pick_in_an_hour(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, WaitTimeDialog), "the time dialog")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, WaitTimeDialog), "the time picked")


async def snoozed_and_scheduled(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await go_available(pilot)
    first, second, third = (caller(mocks, n) for n in (3, 5, 7))
    snoozed = await take(pilot, mocks, first.email, "chat", "Charged twice this month")
    later = await take(pilot, mocks, second.email, "chat", "Where is my parcel?")
    await take(pilot, mocks, third.email, "chat", "Update my card")
    desk = agent_screen(pilot).desk
    desk.select(snoozed)
    await pilot.press("i")
    await type_burst(pilot, "The refund is on its way; I will check it landed tomorrow.")
    await pilot.press("enter", "escape", "z")
    await _pick_in_an_hour(pilot)
    await wait_until(pilot, lambda: desk.conversations[snoozed].snoozed, "snoozed")
    desk.select(later)
    await pilot.press("i")
    await type_burst(pilot, "The courier confirms your delivery slot.")
    await pilot.press("ctrl+f")
    await _pick_in_an_hour(pilot)
    await wait_until(pilot, lambda: desk.conversations[later].reply_scheduled, "scheduled")
    await pilot.press("escape")
    pilot.app.clear_notifications()


async def capture_snoozed(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = scene_settings(Path(data_dir), customers=20).model_copy(update={"frozen_time": FROZEN_TIME})
        mocks = InProcessMocks(settings, start=FROZEN_TIME)
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await snoozed_and_scheduled(pilot, mocks)
                steady_cursors(pilot)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
