"""The experts list as presences change under it: each change may move people between the availability groups,
and the panel puts the rows in the new order instead of building them again (under a storm of changes every
redraw was a rebuild of every row, 26-27 ms, and a key waited behind it). Whatever the order, every row shows
its own person as the directory holds them, and the cursor stays on the person it was on."""

from __future__ import annotations

import random
from typing import Any

from textual.widgets import DataTable

from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.domain.models import Availability, Presence
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
from agent_desktop.ui.agent.experts.presence_labels import PRESENCE_LABELS
from tests.support.experts_panel_host import PanelHost, expert
from tests.support.hostile_models import AT
from tests.support.narrowing import present

NAMES = ["Ann Ledger", "Bo Billing", "Cy Router", "Di Refund", "Ed Fraud", "Flo Sales", "Gus Voice", "Hal Email"]


def _shown(table: DataTable[Any]) -> list[tuple[str, str]]:
    """(name, presence word) of each row, top to bottom, as on screen."""
    return [
        (table.get_row_at(i)[1].plain, table.get_row_at(i)[4].plain.split(" · ")[0]) for i in range(table.row_count)
    ]


def _expected(directory: ExpertDirectory) -> list[tuple[str, str]]:
    return [(e.name, PRESENCE_LABELS[e.presence.availability][1]) for e in directory.ordered()]


async def test_rows_follow_the_presences_order_and_the_cursor_keeps_its_person() -> None:
    rng = random.Random(7)
    directory = ExpertDirectory()
    directory.show([expert(f"p{i}", name, ["billing"], Availability.AVAILABLE) for i, name in enumerate(NAMES)])
    app = PanelHost(directory)
    async with app.run_test() as pilot:
        panel = app.screen.query_one(ExpertsPanel)
        table = panel.query_one(DataTable)
        panel.directory_changed()
        await pilot.pause(0.4)
        table.move_cursor(row=3)
        followed = panel.highlighted()
        assert followed is not None
        moves = 0
        for _ in range(25):
            before = [name for name, _ in _shown(table)]
            for person in rng.sample(range(len(NAMES)), 3):
                availability = rng.choice(
                    [Availability.AVAILABLE, Availability.BUSY, Availability.AWAY, Availability.OFFLINE]
                )
                directory.update_presence(f"p{person}", Presence(availability=availability, changed_at=AT))
            panel.directory_changed()
            await pilot.pause(0.35)  # past the panel's coalescing of redraws
            assert _shown(table) == _expected(directory)
            assert panel.highlighted() is not None, "the cursor kept its person"
            assert present(panel.highlighted()).id == followed.id, "the cursor kept its person"
            moves += [name for name, _ in _shown(table)] != before
        assert moves >= 5, "the changes moved people between groups (the reorder was exercised)"
