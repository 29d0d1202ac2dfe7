"""My day for `make screenshots`: a short day at the desk by keys (a call wrapped up, an offer
rejected, a chat answered and wrapped up, a break), then d opens the agent's figures and today's contacts. On the
in-process mocks, whose clock the scene steps, so the times are the same every run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    accept,
    caller,
    go_available,
    loaded,
    scene_app,
    scene_mocks,
    take,
    wait_until,
)
from tests.support.scenes.pilot_steps import screen_text, steady_cursors

SIZE = (120, 40)


def _screen(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def _wrap_up(pilot: Pilot[None], notes: str) -> None:
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab", *notes, "ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")


async def my_day(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await go_available(pilot)
    await mocks.place_call(caller(mocks, 4).phone_e164, subject="Late fee on my bill")
    await wait_until(pilot, lambda: "Late fee" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    mocks.time.advance(185)
    await pilot.press("e")
    mocks.time.advance(25)
    await _wrap_up(pilot, "Refunded the late fee.")
    mocks.time.advance(60)
    second = await mocks.place_call(caller(mocks, 5).phone_e164, subject="Change of address")
    await wait_until(pilot, lambda: "Change of address" in screen_text(pilot, "#offer"), "the second offer")
    await pilot.press("r")
    await wait_until(pilot, lambda: "Missed" in screen_text(pilot, "#agent-status"), "rejected")
    mocks.engine.arrivals.abandon(second.id)  # the caller hangs up: not offered again
    mocks.time.advance(30)
    await go_available(pilot)
    await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
    await pilot.press("i", *"Sorry about that: refunded now.", "enter", "escape")
    mocks.time.advance(240)
    await pilot.press("e")
    await wait_until(pilot, lambda: _screen(pilot) == "EndConversationDialog", "asked to end the chat")
    await pilot.press("ctrl+e")  # the customer wrote last (thanks): ended all the same
    mocks.time.advance(40)
    await _wrap_up(pilot, "Duplicate charge refunded.")
    mocks.time.advance(20)
    await pilot.press("n")
    await wait_until(pilot, lambda: _screen(pilot) != "AgentScreen", "the reasons")
    await pilot.press("enter")
    await wait_until(pilot, lambda: "Not ready" in screen_text(pilot, "#agent-status"), "a break")
    mocks.time.advance(300)
    await pilot.press("d")
    await wait_until(pilot, lambda: _screen(pilot) == "MyDayView", "my day")


async def capture_my_day(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await my_day(pilot, mocks)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
