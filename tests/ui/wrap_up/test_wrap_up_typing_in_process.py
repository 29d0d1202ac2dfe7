"""Typing the wrap-up's notes while the desk re-reads the queues (the contact-center link came back, as a
CI run saw on the Twilio desk): the notes keep every character in the order typed and the disposition
stays chosen. Before, the form was opened again on the same contact and the cursor jumped to the start,
so the rest of the sentence landed in front of its beginning."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, TextArea

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, wait_until

SIZE = (120, 40)


async def test_notes_typed_across_a_queue_reload_stay_in_order(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        async with desk_app(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await mocks.place_call(caller.phone_e164, subject="Reload while typing")
            await wait_until(pilot, lambda: "Reload while typing" in screen_text(pilot, "#offer"), "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter", "down", "enter", "tab", *"Refunded the duplicate ")
            chosen = pilot.app.screen.query_one("#disposition", Select).value
            assert chosen is not Select.NULL

            await agent_screen(pilot).controller.load_queues()  # what the desk does each time the link comes up
            await pilot.pause()
            await pilot.press(*"charge.")

            notes = pilot.app.screen.query_one("#notes", TextArea)
            assert notes.text == "Refunded the duplicate charge."
            assert pilot.app.screen.query_one("#disposition", Select).value == chosen
    finally:
        await mocks.aclose()
