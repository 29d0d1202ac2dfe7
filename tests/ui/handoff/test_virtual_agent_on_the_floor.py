"""The virtual agent's chats beside the people on the supervisor's floor: Billing's row in the
queues panel counts its chats contained · escalated · failed ("Bot"), as the contact center counts them and pushes
them with the queue figures; a queue without a virtual agent shows no such column at all. At 80×24 the column is
left out (the agents' counts keep their room); the row keeps its cell.

In-process: the mock contact center's bot through the mock model, the customers writing through its routes."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.queue_table import QueueTable
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_app, wait_until
from tests.support.virtual_agent import bot_on, customer, model_app

SMALL = (80, 24)
CHARGED_TWICE = "I was charged twice for my bill this month, can you refund the double charge?"


def bot(pilot: Pilot[None]) -> str:
    return pilot.app.screen.query_one("#queues", QueueTable).cell("billing", "bot").plain


def shown(pilot: Pilot[None]) -> list[str]:
    queues = pilot.app.screen.query_one("#queues", QueueTable)
    return [queues.columns[i].key for i in queues._shown_columns]


async def _chats(mocks: InProcessMocks) -> None:
    """One customer served by the bot, two handed to a person (one asked, one the mood fell)."""
    async with customer(mocks) as web:
        for texts in ((CHARGED_TWICE,), (CHARGED_TWICE, "talk to a human"), (CHARGED_TWICE, "wrong and useless")):
            opened = await web.post(
                "/v1/virtual-agent/chats",
                json={"queue_id": "billing", "from_address": "pat@example.net", "text": texts[0]},
            )
            chat = opened.json()
            for text in texts[1:]:
                chat = (await web.post(f"/v1/virtual-agent/chats/{chat['id']}/messages", json={"text": text})).json()
            if chat["outcome"] == "talking":
                await web.post(f"/v1/virtual-agent/chats/{chat['id']}/leave")


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_the_queue_row_counts_the_bots_chats_beside_the_people(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    bot_on(mocks, model_app())
    async with scene_app(mocks, desks=("supervisor",)).run_test(size=size) as pilot:
        queues = pilot.app.screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: "billing" in queues and bot(pilot) == "0·0·0", "the bot's queue counted")
        await _chats(mocks)
        await wait_until(pilot, lambda: bot(pilot) == "1·2·0", "the bot's chats", mocks=mocks, step_s=1)
        assert queues.cell("sales", "bot").plain == "—", "no virtual agent on Sales"
        assert ("bot" in shown(pilot)) == (size == SIZE), shown(pilot)
        if size == SIZE:
            assert "contained·escalated·failed" in str(queues.border_subtitle)


async def test_a_floor_without_a_virtual_agent_has_no_bot_column(mocks: InProcessMocks) -> None:
    async with scene_app(mocks, desks=("supervisor",)).run_test(size=SIZE) as pilot:
        queues = pilot.app.screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: "billing" in queues, "the queues")
        await pilot.pause()
        assert queues.cell("billing", "bot").plain == "—"
        assert "bot" not in shown(pilot)
        assert "Bot" not in str(queues.border_subtitle)
