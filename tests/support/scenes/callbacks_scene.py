"""Callbacks an agent owns for `make screenshots`: on two calls the agent (in Paris) schedules three
callbacks by keys, one agreed in the customer's Chicago time; when the first falls due it is offered to them, and d
shows today's callbacks with both times and their states. On the in-process mocks, their clock stepped."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import agent_screen, offer_in_front, screen_text, steady_cursors

SIZE = (120, 40)


def _screen(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def _schedule(pilot: Pilot[None], note: str, at: str | None = None, zone: str | None = None) -> None:
    """b, then the time and zone if given (else the draft's), the note, enter."""
    await pilot.press("b")
    await wait_until(pilot, lambda: _screen(pilot) == "CallbackDialog", "the callback dialog")
    await pilot.press("tab")
    if at:
        await pilot.press("ctrl+a", "ctrl+k", *at)
    await pilot.press("tab")
    if zone:
        await pilot.press("ctrl+a", "ctrl+k", *zone)
    await pilot.press("tab", *note, "enter")
    await wait_until(pilot, lambda: _screen(pilot) == "AgentScreen", "scheduled")


async def _call(pilot: Pilot[None], mocks: InProcessMocks, index: int, subject: str) -> None:
    await mocks.place_call(caller(mocks, index).phone_e164, subject=subject)
    await wait_until(pilot, lambda: subject in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    mocks.time.advance(90)


async def _wrap_up(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    mocks.time.advance(15)
    await pilot.press("w", "enter", "down", "enter", "ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")


async def callbacks_today(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    agent_screen(pilot).controller.callbacks.own_zone = lambda: "Europe/Paris"
    await go_available(pilot)
    await _call(pilot, mocks, 4, "Late fee on my bill")  # the scenes' clock: 14:30 UTC, 15:30 in Paris
    await _schedule(pilot, "Check the refund landed", at="15:45", zone="Europe/Paris")  # the CRM's zone is Puerto Rico
    await _wrap_up(pilot, mocks)
    await _call(pilot, mocks, 5, "New plan questions")
    await _schedule(pilot, "Walk through the new plan", at="09:30", zone="America/Chicago")
    await _schedule(pilot, "Confirm the contract is signed")
    await _wrap_up(pilot, mocks)
    due = datetime(2026, 11, 20, 14, 45, 5, tzinfo=UTC)  # the first is due at 14:45 UTC: offered for 20 s
    mocks.time.advance((due - mocks.clock.now()).total_seconds())
    await wait_until(pilot, lambda: "Check the refund" in screen_text(pilot, "#offer"), "the first callback offered")
    await pilot.press("d")  # the pending offer comes over my day (attention rule 1): escape sends it to its card
    await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over my day")
    await pilot.pause(0.5)
    await pilot.press("escape")
    await wait_until(pilot, lambda: offer_in_front(pilot.app) is None and _screen(pilot) == "MyDayView", "my day")


async def capture_callbacks(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await callbacks_today(pilot, mocks)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
