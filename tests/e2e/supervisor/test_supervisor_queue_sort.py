"""Sorting the queues by service level, waiting and longest wait, by Pilot: the one proof of
the wiring through the servers (the sort rules themselves: tests/unit/supervisor/test_supervisor_desk.py).

`s` sorts the panel in use; on the queues it goes by name → service level → waiting → longest wait,
the cursor on the first (the worst) queue. The order holds while the floor moves; the cursor stays on the
first row there (the worst queue now), and anywhere else on its queue when rows move.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing.staffing_table import StaffingTable
from tests.support.callers_rig import Callers, quiet_floor
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import wait_until
from tests.support.scenes.scenes import SIZE, SceneServers
from tests.support.scenes.supervisor_scene import rows, supervisor_app, wait_for_floor


@pytest.fixture
def floor_of_six(tmp_path: Path) -> Iterator[SceneServers]:
    with quiet_floor(tmp_path, agents=20, queues=6) as servers:
        yield servers


def footer_keys(app: App[Any]) -> list[str]:
    return [
        binding.description
        for _, binding, enabled, _ in app.screen.active_bindings.values()
        if binding.show and enabled
    ]


async def test_queues_sort_by_service_level_waiting_and_longest_wait_and_the_cursor_follows(
    floor_of_six: SceneServers,
) -> None:
    callers = Callers(floor_of_six)
    q = callers.queue_ids
    callers.call(q[0])  # the oldest wait
    time.sleep(1.1)
    callers.call(q[1], 10, hang_up=True)  # 0 % from ten contacts: the worst level that counts
    callers.call(q[4], 1, hang_up=True)  # 0 % from one: after the levels that count
    callers.call(q[2], 3)
    callers.call(q[5], 2)
    app = supervisor_app(floor_of_six)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        table = app.screen.query_one("#queues", QueueTable)
        staffing = app.screen.query_one("#staffing", StaffingTable)
        names = [line.split("|")[0].strip() for line in rows(pilot, "#queues")]
        assert names == sorted(names, key=str.casefold)
        assert sorted(table.keys) == sorted(q)  # by name at first
        by_name = list(table.keys)
        assert "Sort queues" in footer_keys(app)
        assert "Sort agents" not in footer_keys(app)
        palette = palette_titles(app)
        assert "Sort queues" in palette

        await pilot.press("s")
        await wait_until(pilot, lambda: set(table.keys[:2]) == {q[1], q[4]}, "by service level")  # both at 0 %
        assert "by service level, lowest first" in str(table.border_title)
        await wait_until(pilot, lambda: staffing.keys == table.keys, "the staffing advice in the same order")

        assert table.cursor_key == table.keys[0]  # the top of the sort
        await pilot.press("s")
        await wait_until(pilot, lambda: table.keys[:3] == [q[2], q[5], q[0]], "by contacts waiting")
        assert table.cursor_key == q[2]
        # The floor moves: four callers in q[3] put it on top; the cursor on the first row stays there.
        callers.call(q[3], 4)
        await wait_until(pilot, lambda: table.keys[:4] == [q[3], q[2], q[5], q[0]], "q[3] on top")
        assert table.cursor_row == 0
        assert table.cursor_key == q[3]

        # Elsewhere the cursor stays on its queue: six callers in q[4] pass q[5], which moves down a row.
        table.move_cursor(table.keys.index(q[5]))
        callers.call(q[4], 6)
        await wait_until(pilot, lambda: table.keys[:5] == [q[4], q[3], q[2], q[5], q[0]], "q[4] on top")
        assert table.cursor_key == q[5]
        assert table.cursor_row == 3

        await pilot.press("s")
        await wait_until(pilot, lambda: table.keys[0] == q[0], "by longest wait")
        assert table.cursor_key == q[0]
        assert "by longest wait, longest first" in str(table.border_title)

        await pilot.press("s")
        await wait_until(pilot, lambda: table.keys == by_name, "by name again")
        assert str(table.border_title) == "Queues — last 30 minutes · by name"

        await pilot.press("tab", "tab")  # the agents panel: `s` sorts the agents there
        await wait_until(pilot, lambda: "Sort agents" in footer_keys(app), "the agents' keys")
        assert "Sort queues" not in footer_keys(app)
