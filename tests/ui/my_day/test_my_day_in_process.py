"""My day by keys on the in-process backends: after a call taken, ended and wrapped up, d opens the
agent's own figures for today (handled by channel, handle and wrap-up averages, answer rate, time in the states)
and today's contacts with their dispositions, from the contact center's records; escape closes it. The key is in
the palette and the help; a contact center that keeps no day for the agent offers no such key. At 80×24 too."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    SIZE,
    accept,
    caller,
    go_available,
    loaded,
    scene_app,
    wait_until,
)
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import screen_text

SMALL = (80, 24)


def on_my_day(pilot: Pilot[None]) -> bool:
    return isinstance(pilot.app.screen, MyDayView)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_d_shows_the_agents_figures_and_contacts_of_today(mocks: InProcessMocks, size: tuple[int, int]) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        assert "My day" in palette_titles(pilot.app)
        await go_available(pilot)
        contact = await mocks.place_call(caller(mocks, 4).phone_e164, subject="My day call")
        await wait_until(pilot, lambda: "My day call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        mocks.time.advance(30)
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        mocks.time.advance(10)
        await pilot.press("w", "enter", "down", "enter", "tab", *"Sorted.", "ctrl+s")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")
        disposition = mocks.engine.read.contact(contact.id).disposition
        assert disposition

        await pilot.press("d")
        await wait_until(pilot, lambda: on_my_day(pilot), "the panel")
        figures = screen_text(pilot, "#my-day-figures")
        assert "Handled 1  (voice 1)" in figures
        assert "Avg handle 0:30" in figures
        assert "Avg wrap-up 0:10" in figures
        assert "Answer rate 100%" in figures
        assert "missed 0" in figures
        assert "Busy 0:30" in figures
        assert "After contact work 0:10" in figures
        table = pilot.app.screen.query_one("#my-day-contacts", DataTable)
        assert table.row_count == 1
        row = [str(getattr(c, "plain", c)) for c in table.get_row(contact.id)]
        assert row[1] == "voice"
        assert row[4] == "0:30"
        assert row[5] == disposition
        region = pilot.app.screen.query_one(".my-day-box").region
        assert region.right <= size[0], "the panel fits the terminal"
        assert region.bottom <= size[1], "the panel fits the terminal"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not on_my_day(pilot), "closed")


async def test_a_contact_center_that_keeps_no_day_offers_no_key(mocks: InProcessMocks) -> None:
    off = ContactCenterCapabilities(my_day=False)
    app = desk_app(mocks.backends(capabilities=off), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "My day" not in palette_titles(pilot.app)
        await pilot.press("d")
        await pilot.pause()
        assert not on_my_day(pilot)
