"""A colleague's presence change is drawn at the panel's next redraw: the wait before a new order is drawn belongs to
an offer (its suggestions and fresh search come after its screen pop), not to every presence change. It held each
change on the XMPP panel behind it (`bench_xmpp`)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import DataTable

from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.domain.models import Availability, Presence
from agent_desktop.ui.agent.experts import experts_panel
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
from tests.support.experts_panel_host import PanelHost, expert
from tests.support.hostile_models import AT
from tests.support.scenes.pilot_steps import wait_until

AN_OFFERS_WAIT_S = 60.0  # the knob turned up: a change held behind it would not show within the test's bound


def _presence_of(table: DataTable[Text], person_id: str) -> str:
    return table.get_row(person_id)[4].plain.split(" · ")[0]


async def test_a_presence_change_shows_without_the_wait_an_offers_order_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    directory = ExpertDirectory()
    directory.show(
        [
            expert("ana", "Ana Ruiz", ["billing"], Availability.AVAILABLE),
            expert("ben", "Ben Okafor", [], Availability.AVAILABLE),
        ]
    )
    app = PanelHost(directory)
    async with app.run_test() as pilot:
        panel = app.screen.query_one(ExpertsPanel)
        table = panel.query_one(DataTable)
        panel.directory_changed()
        await wait_until(pilot, lambda: table.row_count == 2, "the list drawn")
        assert _presence_of(table, "ana") == "Available"
        monkeypatch.setattr(experts_panel, "REORDER_DELAY_S", AN_OFFERS_WAIT_S)

        directory.update_presence("ana", Presence(availability=Availability.DO_NOT_DISTURB, changed_at=AT))
        panel.directory_changed()
        await wait_until(
            pilot, lambda: _presence_of(table, "ana") == "Do not disturb", "Ana's new presence drawn", timeout_s=10
        )
        assert [table.get_row_at(i)[1].plain for i in range(2)] == ["Ben Okafor", "Ana Ruiz"], "free people first"
