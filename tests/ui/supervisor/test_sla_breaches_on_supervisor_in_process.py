"""SLA breaches per queue on the supervisor's screen, by keys on the in-process backends: the agent takes a
Billing chat and does not answer; past its 60 s first-reply target the supervisor's queue table counts it in
Billing's "Late" column (pushed with the queue figures, as time alone moves it); the agent's reply takes it off.
At 80×24 the column gives its room first (the row keeps its cell: the same count, not drawn)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.queue_table import QueueTable
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, take, wait_until

SMALL = (80, 24)


def late(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#queues", QueueTable).cell("billing", "sla_breaches").plain


async def supervisor(pilot: Pilot[None]) -> None:
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_an_unanswered_chat_past_its_target_is_counted_late_on_its_queue(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        await supervisor(pilot)
        queues = pilot.app.screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: "billing" in queues and late(pilot) == "0", "no breach yet")
        shown = [queues.columns[i].key for i in queues._shown_columns]
        # At 80 columns "Late" gives its room first (the agents' counts keep theirs); the row keeps the cell.
        assert ("sla_breaches" in shown) == (size == SIZE), shown
        assert "agents" in shown
        await wait_until(pilot, lambda: late(pilot) == "1", "the breach", mocks=mocks, step_s=5)

        await pilot.press("f2")  # back to the agent's desk: answer the chat
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ != "SupervisorScreen", "the agent desk")
        await pilot.press("i", *"Sorry for the wait.", "enter", "escape")
        await supervisor(pilot)
        await wait_until(pilot, lambda: late(pilot) == "0", "answered: no longer late", mocks=mocks, step_s=1)
