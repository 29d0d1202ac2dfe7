"""For `make screenshots`: the supervisor's adherence board (`r`) on the in-process mocks, whose clock the
scene holds: the demo agent still on a break that ended three minutes ago, one colleague at lunch while scheduled to
work, two logged out, the rest working as scheduled; the same every run."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from starlette.requests import Request

from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.ui.supervisor.staffing.adherence_board import AdherenceTable
from agent_desktop_mocks.ccaas.api.routers import workforce
from agent_desktop_mocks.ccaas.workforce.schemas import AgentSchedule
from tests.support.adherence import break_ending_at
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import loaded, scene_app, scene_settings, wait_until
from tests.support.scenes.pilot_steps import steady_cursors
from tests.support.scenes.scenes import FROZEN_TIME

SIZE = (120, 40)
WORKING = ("agent-002", "agent-003", "agent-004")


async def capture_supervisor_adherence(name: str, out: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = InProcessMocks(scene_settings(Path(data_dir)), start=FROZEN_TIME)
        try:
            state = mocks.ccaas_app.state
            edit = AgentSchedule.model_validate(break_ending_at(FROZEN_TIME + timedelta(minutes=1)))
            await workforce.edit_schedule(
                "agent-001", edit, SUPERVISOR, state.scope, Request({"type": "http", "app": mocks.ccaas_app})
            )
            app = scene_app(mocks, desks=("agent", "supervisor"))
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await loaded(pilot)
                supervisor = mocks.supervisor()
                await supervisor.set_agent_state("agent-001", AgentState.NOT_READY, "Break")
                for agent_id in WORKING:
                    await supervisor.set_agent_state(agent_id, AgentState.AVAILABLE)
                await supervisor.set_agent_state("agent-005", AgentState.NOT_READY, "Lunch")
                mocks.time.advance(240)
                await pilot.press("f2")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "supervisor")
                await pilot.press("r")
                table = pilot.app.screen.query_one("#adherence-table", AdherenceTable)
                await wait_until(pilot, lambda: table.row_count >= 7, "the board's rows")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
        finally:
            await mocks.aclose()
