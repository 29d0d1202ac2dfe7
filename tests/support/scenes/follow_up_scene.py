"""Follow-up, by keys on the in-process mocks: a call from a seeded customer with (or without) SMS
consent taken and wrapped up; u opens the follow-up. `agent-follow-up` is the dialog with the SMS channel and
the first template's preview, filled from the customer's record. On the in-process mocks, whose clock the scene
steps."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.models import Customer
from agent_desktop_mocks.demo_people import Caller
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import offer_in_front, screen_text, steady_cursors

SIZE = (120, 40)


async def caller_with_sms_consent(mocks: InProcessMocks, consent: bool) -> tuple[Caller, Customer]:
    """A seeded caller whose CRM record has `consent_sms` as given (and a phone)."""
    crm = mocks.crm()
    for index in range(mocks.settings.customers):
        found = (await crm.lookup(caller(mocks, index).phone_e164)).customers
        if len(found) == 1 and found[0].consent_sms is consent and found[0].phones:
            return caller(mocks, index), found[0]
    raise AssertionError(f"no seeded customer with consent_sms={consent}")


async def wrapped_call(pilot: Pilot[None], mocks: InProcessMocks, phone: str) -> None:
    """A call from `phone` taken, its caller popped, ended and wrapped up ("Refunded.")."""
    await loaded(pilot)
    await go_available(pilot)
    await mocks.place_call(phone, subject="Refund call")
    await wait_until(pilot, lambda: "Refund call" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    desk = pilot.app.screen.controller.desk  # type: ignore[attr-defined]
    await wait_until(
        pilot, lambda: (lookup := desk.popped_lookup()) is not None and lookup.record is not None, "the screen pop"
    )
    mocks.time.advance(30)
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab", *"Refunded.", "ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")


async def open_follow_up(pilot: Pilot[None]) -> None:
    await pilot.press("u")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "FollowUpDialog", "the follow-up dialog")


async def capture_follow_up(name: str, folder: Path, size: tuple[int, int] = SIZE, *, offer_over: bool = False) -> Path:
    """The follow-up SMS after a wrap-up, its preview from the record; with `offer_over`, the next call
    offered while it is open, come up over it, the dialog as it was under it (untinted: what the agent typed there
    stays readable)."""
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                person, _ = await caller_with_sms_consent(mocks, True)
                await wrapped_call(pilot, mocks, person.phone_e164)
                pilot.app.clear_notifications()
                if offer_over:
                    await go_available(pilot)
                await open_follow_up(pilot)
                await pilot.press("s", "1")
                if offer_over:
                    await mocks.place_call("+14155550999", subject="Next in line")
                    over = lambda: offer_in_front(pilot.app) is not None  # noqa: E731
                    await wait_until(pilot, over, "the offer over it")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
