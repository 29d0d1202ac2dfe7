"""The queue drill-down ("a queue's contacts in progress"), on the in-process backends: `d` on a queue
lists its waiting contacts and, below them, those in progress with their agent; `j` on one in progress joins it
(the monitor card on the floor), `j` on a waiting one says why not, and the key is the supervisor table's
(`supervisor.monitor`: in the drill-down's footer and help)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from agent_desktop.ui.keys.key_help import help_sections
from agent_desktop.ui.palette import palette_commands
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.supervisor.drilldowns.queue_drilldown import QueueDrilldown
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import in_front, supervisor_screen, wait_until
from tests.ui.monitoring.test_supervisor_monitor_in_process import chat_taken_then_supervisor, panel_text

SIZE = (120, 40)


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_queue_drill_down_shows_contacts_in_progress_with_their_agent_and_j_monitors_one(
    tmp_path: Path,
) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    backends = mocks.backends(supervisor=True)
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            people = callers(mocks.settings.seed, mocks.settings.customers)
            chat = await chat_taken_then_supervisor(pilot, mocks)
            screen = supervisor_screen(pilot)
            await wait_until(
                pilot,
                lambda: chat.id in screen.desk.floor.in_hand.get("agent-001", {}),
                "the chat in hand on the floor",
            )
            waiting = await mocks.place_call(
                people[5].phone_e164, queue_id="billing", subject="Refund"
            )  # the agent is on the chat
            await wait_until(
                pilot,
                lambda: waiting.id in screen.desk.floor.waiting.get("billing", {}),
                "the call waiting on the floor",
            )

            queues = screen.query_one("#queues", QueueTable)
            queues.focus()
            queues.move_cursor(queues.keys.index(chat.queue_id))
            await pilot.press("d")
            await wait_until(
                pilot,
                lambda: type(pilot.app.screen).__name__ == "QueueDrilldown" and in_front(pilot, QueueDrilldown).loaded,
                "the queue's contacts",
            )
            drill = pilot.app.screen
            table = drill.query_one("#waiting-table", DataTable)
            await wait_until(pilot, lambda: chat.id in [r[0] for r in rows(table)], "the chat in progress listed")
            row = next(r for r in rows(table) if r[0] == chat.id)
            assert "in progress" in row, row
            assert "Alex Morgan" in row, row  # a chat is not "talking"; the agent by name
            assert "in progress" in str(drill.query_one("#drilldown-summary").render())
            shown = {key.key for key in drill.query_one(KeyFooter).shown()}
            assert "j" in shown, sorted(shown)
            assert "Monitor" in [command.title for command in palette_commands(drill)]
            [own] = [section for section in help_sections(drill) if section.title == "This screen"]
            assert ("j", "Monitor", True) in [(row.keys, row.label, row.applies) for row in own.rows]

            ids = [r[0] for r in rows(table)]
            assert ids.index(waiting.id) < ids.index(chat.id), "waiting first, then in progress"
            assert rows(table)[ids.index(waiting.id)][3] in ("queued", "offered")
            table.move_cursor(row=ids.index(waiting.id))
            await pilot.press("j")  # a waiting contact: nothing to monitor
            await pilot.pause(0.1)
            assert pilot.app.screen is drill

            table.move_cursor(row=[r[0] for r in rows(table)].index(chat.id))
            await pilot.press("j")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "back on the floor")
            await wait_until(
                pilot, lambda: chat.id in panel_text(pilot) and "Monitoring ·" in panel_text(pilot), "the monitor card"
            )
    finally:
        await mocks.aclose()
