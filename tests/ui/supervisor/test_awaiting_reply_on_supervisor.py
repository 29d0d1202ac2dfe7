"""Conversations awaiting our reply per queue on the supervisor's screen, by keys on the in-process backends: the agent
holds a Billing chat whose customer wrote last, and the queue table counts it in Billing's "Await" column (as the
contact center counts it, pushed with the queue figures); the agent's reply takes it off, the customer's next message
puts it back. At 80×24 the column gives its room first (the row keeps its cell)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.queue_table import QueueTable
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, take, wait_until

SMALL = (80, 24)


def awaiting(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#queues", QueueTable).cell("billing", "awaiting_reply").plain


async def switch(pilot: Pilot[None], to_supervisor: bool) -> None:
    await pilot.press("f2")
    await wait_until(
        pilot, lambda: (type(pilot.app.screen).__name__ == "SupervisorScreen") == to_supervisor, "the other desk"
    )


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_a_chat_whose_customer_wrote_last_is_counted_awaiting_on_its_queue(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        await switch(pilot, to_supervisor=True)
        queues = pilot.app.screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: "billing" in queues and awaiting(pilot) == "1", "the chat awaiting us")
        shown = [queues.columns[i].key for i in queues._shown_columns]
        assert ("awaiting_reply" in shown) == (size == SIZE), shown

        await switch(pilot, to_supervisor=False)  # the agent answers
        await pilot.press("i", *"Sorry for the wait.", "enter", "escape")
        await switch(pilot, to_supervisor=True)
        await wait_until(pilot, lambda: awaiting(pilot) == "0", "answered", mocks=mocks, step_s=1)

        await mocks.customer_says(contact_id, "Any news?")
        await wait_until(pilot, lambda: awaiting(pilot) == "1", "the customer wrote again", mocks=mocks, step_s=1)
