"""Screens for `make screenshots`: the SLA clocks of three chats in the contacts list (one breached,
one near its target, one counting down) and a time-boxed wrap-up's countdown, with its disposition picker. They
run on the in-process mocks (tests/support/in_process), whose clock the scene steps: a frozen clock shows no
clock moving, and the real one would make each run differ."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.ui.agent.contacts.desk_contacts import DeskContacts
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
from tests.support.scenes.pilot_steps import screen_text, steady_cursors, type_burst

SIZE = (120, 40)


async def sla_clocks(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    """Three chats taken a while apart: the first waits past its target, the second nears it, the third counts down."""
    await loaded(pilot)
    await go_available(pilot)
    await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
    mocks.time.advance(20)
    await take(pilot, mocks, "ben@example.com", "chat", "Refund request")
    mocks.time.advance(35)
    last = await take(pilot, mocks, "cal@example.com", "chat", "Update my payment method")
    mocks.time.advance(15)
    contacts = pilot.app.screen.query_one("#contacts", DeskContacts)
    await wait_until(pilot, lambda: contacts.get_cell(last, "state").plain == "Reply 0:45", "the clocks")


async def timed_wrap_up(pilot: Pilot[None], mocks: InProcessMocks, *, picker: bool = False) -> None:
    """A call in wrap-up under a time-boxed rule, its code picked and notes typed, a quarter of its time left."""
    await loaded(pilot)
    await go_available(pilot)
    await mocks.place_call(caller(mocks, 4).phone_e164, subject="Late fee on my bill")
    await wait_until(pilot, lambda: "Late fee" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "ctrl+o", *"rfnd", "enter")
    await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "notes", "the code picked")
    await type_burst(pilot, "Refunded the late fee; customer satisfied.")
    mocks.time.advance(45)
    await wait_until(pilot, lambda: "closes in 0:15" in screen_text(pilot, "#wrap-up-clock"), "the countdown")
    if picker:
        await pilot.press("ctrl+o", *"esc")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "DispositionPicker", "the picker")


async def capture_sla_scene(name: str, folder: Path, scene: str, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            await mocks.set_wrap_up_rule(
                "billing",
                "voice",
                mode="time_boxed",
                timeout_s=60,
                extension_s=30,
                max_extensions=1,
                default_disposition="Resolved",
            )
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                if scene == "sla":
                    await sla_clocks(pilot, mocks)
                else:
                    await timed_wrap_up(pilot, mocks, picker=scene == "picker")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
