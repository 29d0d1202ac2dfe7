"""Schedule strip by keys on the in-process backends: `d` (my day) shows the agent's own shift today from
the contact center's schedule, each activity with its start, the one under way marked, and the next break or lunch
in words ("next: Break at …"); a contact center that keeps no schedule shows my day without it. At 80×24 too."""

from __future__ import annotations

import pytest

from agent_desktop.agent_desk.my_day.schedule_strip import schedule_strip
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import screen_text

SMALL = (80, 24)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_d_shows_the_agents_shift_today_and_the_next_break(mocks: InProcessMocks, size: tuple[int, int]) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        mine = await mocks.contact_center().my_schedule()
        strip = schedule_strip(mine, mocks.clock.now().astimezone())
        shown = screen_text(pilot, "#my-day-schedule")
        assert f"Schedule {strip.shift}" in shown
        assert strip.next_words in shown
        assert [f"{i.start} {i.label}" in shown for i in strip.items] == [True] * len(strip.items)
        assert "Break" in shown
        assert "Lunch" in shown
        region = pilot.app.screen.query_one(".my-day-box").region
        assert region.right <= size[0], "the panel fits the terminal"
        assert region.bottom <= size[1], "the panel fits the terminal"


async def test_a_contact_center_without_schedules_shows_my_day_without_the_strip(mocks: InProcessMocks) -> None:
    off = ContactCenterCapabilities(workforce=False)
    async with desk_app(mocks.backends(capabilities=off), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        assert not pilot.app.screen.query("#my-day-schedule")
        assert "Handled" in screen_text(pilot, "#my-day-figures")
