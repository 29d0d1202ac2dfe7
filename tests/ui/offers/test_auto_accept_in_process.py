"""Auto-accept on screen, on the in-process backends with the mocks' clock stepped: an offer of a channel
its queue auto-accepts shows its countdown and the stop key on the card; left alone it is accepted when the count
runs out (through the desk's own accept: the contact is connected on the contact center); space stops it, and the
offer then waits for `a` with its own timeout."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import ContactState
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, screen_text, wait_until
from tests.ui.wrap_up.test_acw_timeout_in_process import SIZE, scene_settings


async def offered(pilot: Pilot[None], mocks: InProcessMocks, subject: str) -> Contact:
    await go_available(pilot)
    contact = await mocks.place_call("(512) 555-0100", subject=subject)
    await wait_until(pilot, lambda: "Accepts in" in screen_text(pilot, "#offer"), "the countdown on the card")
    return contact


async def test_an_auto_accepted_offer_counts_down_and_is_accepted(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path))
    await mocks.set_auto_accept("billing", "voice", 3)  # the contact center's policy, read as the desk starts
    try:
        async with desk_app(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            contact = await offered(pilot, mocks, "Left alone")
            card = screen_text(pilot, "#offer")
            assert "Accepts in 3 s" in card, "all fits"
            assert "space" in card, "all fits"
            assert "stop" in card, "all fits"
            assert "reject" in card, "all fits"
            # The footer's keys follow the screen's bindings a refresh later than the card (Textual's signal).
            await wait_until(pilot, lambda: "Stop auto-accept" in screen_text(pilot, "KeyFooter"), "the stop key")
            mocks.time.advance(1)
            await wait_until(pilot, lambda: "Accepts in 2 s" in screen_text(pilot, "#offer"), "counting down")
            mocks.time.advance(2)
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "accepted by itself")
            assert mocks.engine.read.contact(contact.id).state == ContactState.CONNECTED
    finally:
        await mocks.aclose()


async def test_space_stops_the_countdown_and_the_offer_waits(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path))
    await mocks.set_auto_accept("billing", "voice", 3)  # the contact center's policy, read as the desk starts
    try:
        async with desk_app(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            contact = await offered(pilot, mocks, "Stopped")
            await pilot.press("space")
            await wait_until(pilot, lambda: "Accepts in" not in screen_text(pilot, "#offer"), "stopped")
            assert "Stop auto-accept" not in screen_text(pilot, "KeyFooter")
            mocks.time.advance(5)
            await pilot.pause(0.6)  # a tick or more of the desk's clock past the countdown
            assert "s left" in screen_text(pilot, "#offer"), "the offer waits, with its own timeout"
            assert mocks.engine.read.contact(contact.id).state == ContactState.OFFERED
            await pilot.press("a")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "accepted by the agent")
    finally:
        await mocks.aclose()
