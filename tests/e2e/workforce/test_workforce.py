"""On the real mock servers: the agent opens my day (`d`) and sees their shift today as the contact
center scheduled it (`GET /v1/agents/agent-001/schedule`), with the next break or the end of the shift; f2, and `g`
shows the supervisor the gap chart of the queue under the cursor, its worst gap in words as the contact center's
coverage of that queue says (`GET /v1/workforce/coverage?queue_id=`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx

from agent_desktop.agent_desk.my_day.schedule_strip import ACTIVITY_LABELS
from agent_desktop.domain.workforce.models import Coverage
from agent_desktop.supervisor_desk.workforce.workforce_gap import gap_chart
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing.workforce_chart import WorkforceChart
from tests.support.scenes.pilot_steps import supervisor_screen
from tests.support.scenes.scenes import SIZE, scene_servers, screen_text, wait_until
from tests.support.scenes.supervisor_scene import supervisor_app

AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


async def test_the_agent_sees_their_shift_and_the_supervisor_the_gap_chart(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        mine = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/schedule", headers=AGENT, timeout=5).json()
        app = supervisor_app(servers, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the agent desk")
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "MyDayView", "my day")
            shown = screen_text(pilot, "#my-day-schedule")
            start, end = (
                datetime.fromisoformat(mine[k]).astimezone().strftime("%H:%M") for k in ("shift_start", "shift_end")
            )
            assert f"Schedule {start}–{end}" in shown, shown
            assert all(ACTIVITY_LABELS[a["activity"]] in shown for a in mine["activities"]), shown
            assert "next:" in shown or "shift" in shown
            await pilot.press("escape")
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            screen = supervisor_screen(pilot)
            queues, chart = screen.query_one("#queues", QueueTable), screen.query_one("#workforce", WorkforceChart)
            await wait_until(pilot, lambda: queues.cursor_key is not None, "the queues", timeout_s=20)
            await pilot.press("g")
            await wait_until(pilot, lambda: chart.coverage is not None, "the gap chart", timeout_s=20)
            queue_id = queues.cursor_key
            answer = httpx.get(
                f"{servers.ccaas_url}/v1/workforce/coverage",
                params={"queue_id": queue_id},
                headers=SUPERVISOR,
                timeout=5,
            )
            expected = gap_chart(Coverage.model_validate(answer.json()), screen.controller.now())
            assert expected.words.split(".")[0] in screen_text(pilot, "#workforce-words")
