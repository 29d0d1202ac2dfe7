"""Done-when, on the in-process backends: an agent who stays on a break past its scheduled end shows out
of adherence on the supervisor screen within the tolerance plus one second. The contact center's tolerance is set
short; a supervisor's schedule edit puts the demo agent's break end a few seconds ahead; the agent is on the break.
`r` shows the board: in adherence while the break lasts, still in at its end (within the tolerance), out past it,
with how long, at the top, and one "Out of adherence" notice. The contact center's clock is stepped, never waited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.requests import Request
from textual.notifications import Notification

from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.supervisor_desk.workforce.adherence_board import TELL_EVERY
from agent_desktop.ui.supervisor.staffing.adherence_board import AdherenceTable
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.api.routers import workforce
from agent_desktop_mocks.ccaas.workforce.schemas import AgentSchedule
from tests.support.adherence import break_ending_at
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import SIZE, loaded, scene_app, scene_settings, wait_until
from tests.support.scenes.scenes import FROZEN_TIME

TOLERANCE_S = 3.0
BREAK_LEFT_S = 5.0


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    settings = scene_settings(tmp_path / "mocks").model_copy(update={"adherence_tolerance_s": TOLERANCE_S})
    running = InProcessMocks(settings, start=FROZEN_TIME)
    try:
        yield running
    finally:
        await running.aclose()


async def test_a_break_past_its_end_shows_out_of_adherence_within_the_tolerance_plus_a_second(
    mocks: InProcessMocks,
) -> None:
    app = mocks.ccaas_app
    ends = mocks.clock.now() + timedelta(seconds=BREAK_LEFT_S)
    edit = AgentSchedule.model_validate(break_ending_at(ends))
    await workforce.edit_schedule("agent-001", edit, SUPERVISOR, app.state.scope, Request({"type": "http", "app": app}))
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await mocks.supervisor().set_agent_state("agent-001", AgentState.NOT_READY, "Break")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")
        screen = pilot.app.screen
        board, table = screen.query_one("#adherence"), screen.query_one("#adherence-table", AdherenceTable)
        assert not board.display, "hidden until asked for"
        await pilot.press("r")
        await wait_until(pilot, lambda: "agent-001" in table, "the demo agent on the board")
        assert "Break" in table.row_text("agent-001")
        assert table.cell("agent-001", "out_for").plain == ""

        mocks.time.advance(BREAK_LEFT_S)  # the break is over; the agent is still on it: out, within the tolerance
        await pilot.pause()
        assert table.cell("agent-001", "out_for").plain == "", "not reported within the tolerance"

        mocks.time.advance(TOLERANCE_S)  # the tolerance has passed: nothing else moves the clock
        await wait_until(pilot, lambda: table.cell("agent-001", "out_for").plain != "", "out of adherence shown")
        row = table.row_text("agent-001")
        assert "Work" in row, row
        assert "Not ready — Break" in row, row
        above = table.keys[: table.keys.index("agent-001")]
        assert all(table.cell(key, "out_for").plain >= table.cell("agent-001", "out_for").plain for key in above), (
            "out of adherence the longest first (the other agents are logged out while scheduled to work)"
        )
        minutes, seconds = table.cell("agent-001", "out_for").plain.split(":")
        assert TOLERANCE_S <= 60 * int(minutes) + int(seconds) <= TOLERANCE_S + 1

        def told() -> list[Notification]:
            return [n for n in notifications(pilot.app) if n.title == "Out of adherence" and "more" in n.message]

        # The first agent out was told as the desk loaded; Alex and the four others logged out while scheduled to
        # work come in the next notice, at the pace of one every TELL_EVERY (a floor going on break at once is one
        # notice, not one per agent): the longest out named, the rest counted.
        mocks.time.advance(TELL_EVERY.total_seconds())
        await wait_until(pilot, lambda: len(told()) == 1, "told together at the notices' pace")
        out = [key for key in table.keys if table.cell(key, "out_for").plain]
        assert told()[0].message.endswith(f"+{len(out) - 1 - 3} more (the adherence board, r)"), told()[0].message

        shown = {n.identity for n in notifications(pilot.app)}
        mocks.time.advance(2 + TELL_EVERY.total_seconds())  # later events of the same episodes: not told again
        await pilot.pause(1.2)
        assert [n for n in notifications(pilot.app) if n.title == "Out of adherence" and n.identity not in shown] == []
        await pilot.press("r")
        await pilot.pause()
        assert not board.display
