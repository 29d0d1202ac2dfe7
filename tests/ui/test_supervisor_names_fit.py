"""Queue names on a big floor can be told apart at every width (issue 43, item 7), on the in-process backends.

A hundred queues: "Fraud — Premium", "Fraud — Partners", "Technical support — Premium"… At 170 and 120
columns each queue's whole name is shown in the queues and staffing panels (the sparklines, then P(wait),
Erlangs and ASA give their room first); at 80 columns a name is shortened by whole words, keeping the part where
such names differ, and no two rows read the same. The alert line in the header is never cut.
"""

from __future__ import annotations

import pytest

from agent_desktop.staffing.floor import Alert
from agent_desktop.ui.supervisor.floor_status import FloorStatus
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing_table import StaffingTable
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import wait_until

QUEUES = 100
LONG_ALERT = "Orders and delivery — Overflow: longest wait 612 s > 60 s"


def names_drawn(table, floor) -> dict[str, str]:
    """queue id → the name as the row is drawn now (the first column, up to the gap before the next)."""
    return {key: table.drawn_text(key)[1:].split("  ")[0].strip() for key in table.keys}


@pytest.mark.parametrize("size", [(170, 45), (120, 40), (80, 24)])
async def test_every_queue_can_be_told_apart_and_the_alert_is_whole(tmp_path, size):
    settings = MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, agents=120, queues=QUEUES,
                            simulator=False, fresh=True)  # fmt: skip
    mocks = InProcessMocks(settings)
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("supervisor",))
        async with app.run_test(size=size) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: len(screen.query_one(QueueTable).keys) == QUEUES, "the hundred queues")
            await pilot.pause(0.2)
            floor = screen.desk.floor
            for table in (screen.query_one(QueueTable), screen.query_one(StaffingTable)):
                drawn = names_drawn(table, floor)
                assert len(set(drawn.values())) == QUEUES, sorted(
                    n for n in drawn.values() if list(drawn.values()).count(n) > 1
                )
                if size[0] >= 120:
                    wrong = {floor.queue_name(k): d for k, d in drawn.items() if d != floor.queue_name(k)}
                    assert not wrong, wrong

            status = screen.query_one(FloorStatus)
            status.alerts = [Alert("orders_overflow", "longest_wait", LONG_ALERT), Alert("fraud", "longest_wait", "x")]
            await pilot.pause(0.2)
            shown = " ".join(line.text for line in (status.render_line(y) for y in range(status.size.height)))
            assert f"{LONG_ALERT} (+1 more)" in " ".join(shown.split()), shown
            assert "contact center" in shown
    finally:
        await mocks.aclose()
