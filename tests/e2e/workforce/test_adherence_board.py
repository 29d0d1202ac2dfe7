"""Done-when on the real mock servers: an agent who stays on a break past its scheduled end shows out of
adherence on the supervisor screen within the contact center's tolerance plus one second. The tolerance is set short
(a setting of the mock); a supervisor's schedule edit puts the demo agent's break end a few seconds ahead; the agent
takes the break by keys and stays on it; `r` on the supervisor screen shows the board. Both desks and the contact
center run on the same wall clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agent_desktop.ui.agent.reason_picker import ReasonPicker
from agent_desktop.ui.supervisor.staffing.adherence_board import AdherenceTable
from agent_desktop.ui.textual_compat import notifications
from tests.support.adherence import break_ending_at
from tests.support.scenes.pilot_steps import in_front
from tests.support.scenes.scenes import SIZE, SceneServers, go_available, scene_servers, screen_text, wait_until
from tests.support.scenes.supervisor_scene import supervisor_app

TOLERANCE_S = 2.0
BREAK_LEFT_S = 6.0


def others_off_shift(servers: SceneServers, now: datetime) -> None:
    """Every other agent's shift today moved two hours away from now. The demo floor's agents are offline all day: at
    an hour they are scheduled, each is out of adherence from the contact center's first look, and their burst shares
    Alex's notice (three named, the rest counted: at 15:50 UTC Alex was among "+3 more") or holds it back (one notice
    every 20 s). Off shift, offline is in adherence."""
    day = now.date()
    later = now + timedelta(hours=2)
    start = later if (later + timedelta(hours=1)).date() == day else now - timedelta(hours=3)
    schedules = servers.as_supervisor("GET", f"/v1/workforce/schedules?day={day.isoformat()}")
    assert isinstance(schedules, list), schedules
    for schedule in schedules:
        if schedule["agent_id"] == "agent-001":
            continue
        shift = {"activity": "work", "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
        body = {"agent_id": schedule["agent_id"], "day": day.isoformat(), "activities": [shift]}
        servers.as_supervisor(
            "PUT",
            f"/v1/agents/{schedule['agent_id']}/schedule",
            body | {"shift_start": shift["start"], "shift_end": shift["end"]},
        )


async def test_a_break_past_its_end_shows_out_of_adherence_within_the_tolerance_plus_a_second(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20, adherence_tolerance_s=TOLERANCE_S) as servers:
        others_off_shift(servers, datetime.now(UTC).replace(microsecond=0))
        app = supervisor_app(servers, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await pilot.press("n")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
            await pilot.press(*["down"] * in_front(pilot, ReasonPicker).reasons.index("Break"), "enter")
            await wait_until(pilot, lambda: "Not ready — Break" in screen_text(pilot, "#agent-status"), "on a break")
            ends = datetime.now(UTC) + timedelta(seconds=BREAK_LEFT_S)
            servers.as_supervisor("PUT", "/v1/agents/agent-001/schedule", break_ending_at(ends))
            ends = ends.replace(microsecond=0)  # the schedule's instants are whole seconds

            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            await pilot.press("r")
            table = pilot.app.screen.query_one("#adherence-table", AdherenceTable)

            def on_break() -> bool:
                return "agent-001" in table and "Break" in table.cell("agent-001", "scheduled").plain

            await wait_until(pilot, on_break, "the break on the board", timeout_s=20)
            assert table.cell("agent-001", "out_for").plain == "", "on the break as scheduled: in adherence"

            def out() -> bool:
                return table.cell("agent-001", "out_for").plain != ""

            while not out() and datetime.now(UTC) < ends + timedelta(seconds=TOLERANCE_S + 10):
                await pilot.pause(0.05)
            shown_after = (datetime.now(UTC) - ends).total_seconds()
            assert out(), "never shown out of adherence"
            assert TOLERANCE_S <= shown_after <= TOLERANCE_S + 1, shown_after
            row = table.row_text("agent-001")
            assert "Work" in row, row
            assert "Not ready — Break" in row, row

            def alex_told() -> bool:  # at some hours another agent of the demo floor goes out at the same moment
                return any(n.title == "Out of adherence" and "Alex" in n.message for n in notifications(pilot.app))

            await wait_until(pilot, alex_told, "told")
            watch_until = time.monotonic() + 2.5  # the board's clock ticks on: still the one notice for the episode
            told: dict[str, str] = {}  # every such notice seen while watching (one may time out of the screen)
            while time.monotonic() < watch_until:
                told |= {n.identity: n.message for n in notifications(pilot.app) if n.title == "Out of adherence"}
                await pilot.pause(0.25)
            assert len([message for message in told.values() if "Alex" in message]) == 1, told
