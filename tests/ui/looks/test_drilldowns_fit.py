"""The supervisor's drill-downs at 80×24: an agent's day had its "Answered", "Handle" and "Disposition"
past the screen's right edge (its columns needed 114 cells), a queue's contacts their "Subject" (103). Each column
now has a least and a most width, fitted to the room (ui/lines/column_fit.py): a queue's contacts show every column,
an agent's day every one but the caller's number, last and cut, the queue named whole. In-process mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.drilldowns.agent_drilldown import AgentDrilldown
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import (
    agent_screen,
    end_and_fill_wrap_up,
    go_available,
    in_front,
    open_details,
    shows_connected,
    wait_until,
)
from tests.support.scenes.scenes import FROZEN_TIME

SUBJECT = "Router keeps dropping"


def drawn_on_screen(pilot: Pilot[None], words: list[str]) -> list[str]:
    """Which of `words` the screen does not show."""
    shown = screen_lines(pilot)
    return [word for word in words if word not in shown]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_column_of_both_drilldowns_shows(tmp_path: Path, size: tuple[int, int]) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    mocks = InProcessMocks(settings, start=FROZEN_TIME)
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=size) as pilot:
            await go_available(pilot)
            people = callers(mocks.settings.seed, mocks.settings.customers)
            await mocks.place_call(people[0].phone_e164, queue_id="tech_support", subject="First in line")
            await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the call taken")
            await end_and_fill_wrap_up(pilot, "ok")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not agent_screen(pilot).desk.held, "the wrap-up saved")
            await pilot.press(
                "n"
            )  # not ready (the first reason): the next caller waits in the queue, with their subject
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reasons")
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Not ready" in screen_lines(pilot), "not ready")
            await mocks.place_call(people[1].phone_e164, queue_id="tech_support", subject=SUBJECT)

            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the floor")
            await open_details(pilot, "#queues", "tech_support")
            await wait_until(pilot, lambda: SUBJECT[:8] in screen_lines(pilot), "the waiting caller's subject")
            headers = ["Contact", "From", "Ch", "State", "Time", "Agent", "Subject"]
            assert not drawn_on_screen(pilot, headers), screen_lines(pilot)
            await pilot.press("escape")

            await open_details(pilot, "#agents", "agent-001")
            await wait_until(pilot, lambda: "1 contact today" in screen_lines(pilot), "the agent's day")
            headers = ["Contact", "Ch", "Queue", "State", "Handle", "Disposition", "Taken"]
            assert not drawn_on_screen(pilot, headers + (["From"] if size[0] >= 120 else [])), screen_lines(pilot)
            assert "Technical support" in screen_lines(pilot), "the queue whole"
            disposition = in_front(pilot, AgentDrilldown).controller.desk.agent_days["agent-001"]
            (contact,) = disposition.values()
            assert contact.disposition, screen_lines(pilot)
            assert contact.disposition[:8] in screen_lines(pilot), screen_lines(pilot)
    finally:
        await mocks.aclose()
