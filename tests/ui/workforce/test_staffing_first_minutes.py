"""In a contact center's first minutes the staffing advice said only "warming up: 1 min of data".
It now says what is known (the arrivals so far, in the advice cell) and, in the panel under the table, why the
advice is not there yet and when it comes, in one line for every queue warming up. A floor a minute old (the
figures a push carries: tests/unit/workforce/test_staffing_one_story.py's `floor_with`), its panels drawn by Pilot."""

from __future__ import annotations

from textual.app import App, ComposeResult

from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.desk import SupervisorCapabilities, SupervisorDesk
from agent_desktop.ui.supervisor.staffing.staffing_table import StaffingTable
from agent_desktop.ui.supervisor.staffing.staffing_why import StaffingWhy
from tests.unit.workforce.test_staffing_one_story import floor_with


class Panels(App[None]):
    def __init__(self, floor: Floor) -> None:
        super().__init__()
        self.desk = SupervisorDesk(floor, SupervisorCapabilities())

    def compose(self) -> ComposeResult:
        yield StaffingTable(id="staffing")
        yield StaffingWhy(id="staffing-why")


async def test_a_minute_old_floor_says_what_is_known_and_when_the_advice_comes() -> None:
    floor = floor_with(minutes=1, arrived=9, answered=4, level=100.0, aht=20.0, staffed=1)
    app = Panels(floor)
    async with app.run_test(size=(120, 20)) as pilot:
        why, differs, warming = app.desk.staffing_causes()
        app.query_one(StaffingTable).show(floor, why, ["billing"])
        app.query_one(StaffingWhy).show(floor, why, differs, warming)
        await pilot.pause()
        advice = app.query_one(StaffingTable).cell("billing", "advice").plain
        assert advice == "warming up: 9.0/min so far", advice
        line = str(app.query_one(StaffingWhy).render())
        assert "Advice once 5 min of calls are in" in line, line
        assert "Billing in 4 min" in line, line
