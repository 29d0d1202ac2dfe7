"""A demo's working day follows the clock and the time zone of whoever runs it: started at 22:00 or at 06:00 local
time, the contact center lays its day around that moment, so the desk shows a floor on shift — my day's shift under
way with its next break or lunch, every agent on the adherence board scheduled to work, on a break or at lunch (none
"Off shift"), and the gap chart with its half-hour now. In-process mocks on a clock the test sets, in a zone it
names (both hours are outside 08:00–20:00 UTC, the fixed day the tests' other scenes keep)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing.adherence_board import AdherenceTable
from agent_desktop.ui.supervisor.staffing.workforce_chart import WorkforceChart
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, loaded, scene_app, scene_settings, wait_until
from tests.support.scenes.pilot_steps import screen_text

STARTS = {
    "22:00 in New York": ("America/New_York", datetime(2026, 11, 20, 22, 0, tzinfo=ZoneInfo("America/New_York"))),
    "06:00 in Berlin": ("Europe/Berlin", datetime(2026, 11, 21, 6, 0, tzinfo=ZoneInfo("Europe/Berlin"))),
}


@pytest.fixture(params=list(STARTS))
async def mocks(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    zone, start = STARTS[request.param]
    settings = scene_settings(tmp_path / "mocks").model_copy(update={"working_day_zone": zone})
    running = InProcessMocks(settings, start=start)
    try:
        yield running
    finally:
        await running.aclose()


async def test_a_demo_started_at_night_or_at_dawn_shows_the_floor_on_shift(mocks: InProcessMocks) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#my-day-schedule")), "my shift")
        mine = screen_text(pilot, "#my-day-schedule")
        assert "▶" in mine, f"the shift under way, something next: {mine}"
        assert "next:" in mine, f"the shift under way, something next: {mine}"
        assert "shift over" not in mine, mine
        assert "shift starts" not in mine, mine
        await pilot.press("escape")

        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")
        screen = pilot.app.screen
        await pilot.press("r")
        table = screen.query_one("#adherence-table", AdherenceTable)
        agents = [a.id for a in mocks.engine.read.agents()]
        await wait_until(pilot, lambda: set(agents) <= set(table.keys), "every agent on the board")
        scheduled = {key: table.cell(key, "scheduled").plain for key in agents}
        assert set(scheduled.values()) <= {"Work", "Break", "Lunch"}, scheduled
        assert "Work" in scheduled.values(), scheduled
        await pilot.press("r")

        queues, chart = screen.query_one("#queues", QueueTable), screen.query_one("#workforce", WorkforceChart)
        await wait_until(pilot, lambda: queues.cursor_key is not None, "the queues")
        await pilot.press("g")
        await wait_until(pilot, lambda: chart.coverage is not None, "the coverage")
        words = screen_text(pilot, "#workforce-words")
        assert "Now (" in words, words
        assert "closed" not in words, words
        assert "▲ now" in screen_text(pilot, "#workforce-axis"), "the half-hour now marked under the bars"
